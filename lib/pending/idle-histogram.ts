import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { IdleHistogramResponse } from "@/lib/contract/pending";
import { getGroupRule } from "@/lib/config/settings";
import { requireGroup } from "./group";
import { idleBuckets } from "./histogram";
import { readPendingSummary } from "./page";
import { readPelSample } from "./pel-sample";

/**
 * Histogram of the group's pending idle times over a sample of its PEL (./pel-sample.ts): exact
 * for a small PEL, else scaled to the PEL size.
 */
export async function readIdleHistogram(
  redis: RedisConnection,
  stream: string,
  group: string,
): Promise<IdleHistogramResponse> {
  await requireGroup(redis, stream, group);
  const [summary, rule] = await Promise.all([
    readPendingSummary(redis, stream, group),
    getGroupRule(redis, stream, group),
  ]);
  const sample = await readPelSample(redis, stream, group, {
    count: summary.count,
    oldestId: summary.minId,
    newestId: summary.maxId,
  });
  const values = sample.rows.map((r) => r.idleMs);

  return {
    buckets: idleBuckets(values, sample.total),
    exact: sample.exact,
    sampled: values.length,
    total: sample.total,
    stuckAfterMs: rule.stuckAfterMs,
    perConsumer: summary.consumers,
  };
}
