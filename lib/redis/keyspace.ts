import "server-only";
import type Redis from "ioredis";
import type { ChainableCommander } from "ioredis";

/**
 * Every key-space fan-out goes through this module: SCAN pages and per-key pipelines.
 * Redis Cluster support (scan every master, route pipelines per slot) belongs here only.
 */
export const MAX_SCAN_COUNT = 10_000;

export interface ScanPage {
  keys: string[];
  cursor: string;
}

export async function scanKeysPage(
  redis: Redis,
  opts: { cursor: string; match: string; count: number; type?: string },
): Promise<ScanPage> {
  const count = Math.min(Math.max(1, opts.count), MAX_SCAN_COUNT);
  const args: (string | number)[] = [opts.cursor, "MATCH", opts.match, "COUNT", count];
  if (opts.type) args.push("TYPE", opts.type);
  const [cursor, keys] = (await redis.call("SCAN", ...args)) as [string, string[]];
  return { cursor, keys: [...new Set(keys)] };
}

/** Walks SCAN until the cursor returns to 0 or `maxKeys` are collected. */
export async function scanAllKeys(
  redis: Redis,
  opts: { match: string; type?: string; maxKeys: number; pageCount?: number },
): Promise<{ keys: string[]; complete: boolean }> {
  const seen = new Set<string>();
  let cursor = "0";
  do {
    const page = await scanKeysPage(redis, { cursor, match: opts.match, count: opts.pageCount ?? 1000, type: opts.type });
    for (const k of page.keys) seen.add(k);
    cursor = page.cursor;
    if (seen.size >= opts.maxKeys) {
      // Keys dropped by the slice make the walk incomplete even when SCAN itself has finished.
      return { keys: [...seen].slice(0, opts.maxKeys), complete: cursor === "0" && seen.size === opts.maxKeys };
    }
  } while (cursor !== "0");
  return { keys: [...seen], complete: true };
}

export type PipelineResult = [Error | null, unknown];

/**
 * Queues `perKey` commands for each key in one pipeline (chunked so no single round trip is
 * unbounded) and returns each key's replies in order.
 */
export async function pipelineForKeys(
  redis: Redis,
  keys: readonly string[],
  perKey: (pipe: ChainableCommander, key: string) => void,
  chunkSize = 500,
): Promise<PipelineResult[][]> {
  const out: PipelineResult[][] = [];
  for (let i = 0; i < keys.length; i += chunkSize) {
    const chunk = keys.slice(i, i + chunkSize);
    const pipe = redis.pipeline();
    const sizes: number[] = [];
    for (const key of chunk) {
      const before = pipe.length;
      perKey(pipe, key);
      sizes.push(pipe.length - before);
    }
    const results = ((await pipe.exec()) ?? []) as PipelineResult[];
    let offset = 0;
    for (const size of sizes) {
      out.push(results.slice(offset, offset + size));
      offset += size;
    }
  }
  return out;
}
