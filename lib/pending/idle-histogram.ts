import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { MAX_PENDING_PAGE, type IdleHistogramResponse } from "@/lib/contract/pending";
import { getGroupRule } from "@/lib/config/settings";
import { idToTimeMs, timeMsToId } from "@/lib/contract/ids";
import { requireGroup } from "./group";
import { idleBuckets } from "./histogram";
import { readPendingSummary } from "./page";
import { pelCursor, pelPages, readPelPage } from "./pel";

/** Up to this many pending entries the histogram counts every one. */
export const EXACT_LIMIT = 10_000;
/** Above it: this many windows of MAX_PENDING_PAGE entries, spread evenly over the PEL's id range. */
export const SAMPLE_WINDOWS = 10;

/**
 * Histogram of the group's pending idle times, read in bounded XPENDING batches: exact for a
 * PEL up to EXACT_LIMIT, else an estimate from SAMPLE_WINDOWS windows starting at evenly spaced
 * times between the oldest and newest pending id, scaled to the PEL size.
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
  let total = summary.count;
  const idles = new Map<string, number>();
  let exact = false;

  if (total <= EXACT_LIMIT) {
    exact = true;
    for await (const page of pelPages(redis, pelCursor(stream, group))) {
      for (const r of page) idles.set(r.id, r.idleMs);
      // The PEL grew past the limit while we read it: keep what we have as a sample.
      if (idles.size > EXACT_LIMIT) {
        exact = false;
        break;
      }
    }
    if (exact) total = idles.size;
  } else if (summary.minId && summary.maxId) {
    const from = idToTimeMs(summary.minId);
    const to = idToTimeMs(summary.maxId);
    const windows = await Promise.all(
      Array.from({ length: SAMPLE_WINDOWS }, (_, i) => {
        const at = from + Math.floor(((to - from) * i) / SAMPLE_WINDOWS);
        return readPelPage(redis, pelCursor(stream, group, { start: timeMsToId(at) }), MAX_PENDING_PAGE);
      }),
    );
    for (const rows of windows) for (const r of rows) idles.set(r.id, r.idleMs);
  }

  const values = [...idles.values()];
  return {
    buckets: idleBuckets(values, exact ? values.length : total),
    exact,
    sampled: values.length,
    total,
    stuckAfterMs: rule.stuckAfterMs,
    perConsumer: summary.consumers,
  };
}
