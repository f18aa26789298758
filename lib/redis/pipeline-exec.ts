import "server-only";
import type { ChainableCommander } from "ioredis";
import { isCluster, type RedisConnection } from "./connection";

export type PipelineResult = [Error | null, unknown];

/**
 * Runs a pipeline under one command timeout for the whole pipeline instead of one per command.
 *
 * ioredis arms a timer for every command it sends while the connection has `commandTimeout`.
 * With Next's async context tracking on (Node 20), each timer also runs the async hooks, which
 * cost a read pipeline of a few thousand commands 10-15% of its CPU (bench/overview.ts). ioredis
 * reads the option when it sends a command, and a single-server pipeline sends all its commands
 * synchronously inside exec(), so the option is lifted for that call only. A command queued
 * while the connection is down is sent later and gets its own timer as before. On a timeout the
 * answer is the error ioredis gives ("Command timed out": 503 REDIS_UNAVAILABLE); like ioredis'
 * own timer, it does not take the commands back from Redis.
 */
export function execWithOneTimer(node: RedisConnection, pipe: ChainableCommander): Promise<PipelineResult[]> {
  if (isCluster(node)) return execOf(pipe);
  const timeoutMs = node.options.commandTimeout;
  if (typeof timeoutMs !== "number") return execOf(pipe);
  node.options.commandTimeout = undefined;
  let running: Promise<PipelineResult[]>;
  try {
    running = execOf(pipe);
  } finally {
    node.options.commandTimeout = timeoutMs;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("Command timed out")), timeoutMs);
  });
  return Promise.race([running, timedOut]).finally(() => clearTimeout(timer));
}

async function execOf(pipe: ChainableCommander): Promise<PipelineResult[]> {
  return ((await pipe.exec()) ?? []) as PipelineResult[];
}
