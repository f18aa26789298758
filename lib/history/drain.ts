import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { Drain } from "@/lib/contract/pending";
import { DRAIN_WINDOW_MS, drainFromSamples } from "./series";
import { historyKeys, readRecentMany } from "./store";

/** Samples read per group: a 15-minute window at the default 10 s period is 90. */
const DRAIN_SAMPLES = 200;

export interface DrainTarget {
  stream: string;
  group: string;
  /** The lag right now (entries); null: the last sample's. */
  lag: number | null;
}

/** Each group's drain (./series.ts drainFromSamples) from its recent history samples, in one pipeline. */
export async function readDrains(
  redis: RedisConnection,
  targets: readonly DrainTarget[],
  now: number,
): Promise<(Drain | null)[]> {
  if (targets.length === 0) return [];
  const series = await readRecentMany(
    redis,
    targets.map((t) => historyKeys.group(t.stream, t.group)),
    now - DRAIN_WINDOW_MS,
    DRAIN_SAMPLES,
  );
  return targets.map((t, i) => drainFromSamples(series[i] ?? [], t.lag, now));
}
