import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { TickResult } from "@/lib/contract/worker";
import { appKey } from "@/lib/redis/app-keys";

/**
 * The worker's tick records: a capped list of JSON results, newest first. The worker writes
 * them (lib/worker/tick.ts); this is their one reader (worker status, findings, metrics).
 */
export const workerTicksKey = (): string => appKey("worker", "ticks");

export const TICK_HISTORY = 50;

function parseTick(raw: string): TickResult | null {
  try {
    const tick: unknown = JSON.parse(raw);
    return typeof tick === "object" && tick !== null ? (tick as TickResult) : null;
  } catch {
    return null;
  }
}

/** The last ticks, newest first (at most TICK_HISTORY); records that are not JSON objects are skipped. */
export async function readTicks(redis: RedisConnection, limit = TICK_HISTORY): Promise<TickResult[]> {
  const raw = await redis.lrange(workerTicksKey(), 0, Math.min(limit, TICK_HISTORY) - 1);
  return raw.map(parseTick).filter((t): t is TickResult => t !== null);
}

export async function readLastTick(redis: RedisConnection): Promise<TickResult | null> {
  return (await readTicks(redis, 1))[0] ?? null;
}
