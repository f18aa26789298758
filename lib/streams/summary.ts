import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { OverviewSummary } from "@/lib/contract/streams";
import type { Settings } from "@/lib/config/settings";
import { resolveGroupRule } from "@/lib/config/resolve";
import { isAppKey } from "@/lib/redis/app-keys";
import { scanAllKeys } from "@/lib/redis/keyspace";
import { idToTimeMs, timeMsToId } from "@/lib/contract/ids";
import { readOldestPending, readStreams, readStuckCounts, streamsOnly } from "./snapshot";

export const SUMMARY_STREAM_CAP = 10_000;
/** PEL entries read, over all groups, to count stuck messages. */
export const STUCK_CAP = 1000;
/** PEL entries read per summary, as a multiple of STUCK_CAP (each XPENDING reads at most 1,000). */
export const STUCK_READ_FACTOR = 10;
/** Keys (or groups) per round trip of XINFO GROUPS / XPENDING - + 1 (one command each). */
const GROUPS_CHUNK_KEYS = 2000;

/**
 * The overview's tiles over the first `streamCap` streams SCAN finds (`complete: false` past it):
 * streams, total pending, oldest pending age, and stuck messages: pending longer than the
 * group's own threshold (its settings rule, default 30 s), counted over at most `stuckCap` PEL
 * entries in all (plain `XPENDING key group - <end> <n>` ranges, lib/pending/idle-count.ts);
 * `stuckCapped: true` when that budget ran out first, so `stuck` is a lower bound.
 *
 * `<end>` is the newest id old enough to be stuck: an entry cannot have been delivered before it
 * was added, so ids younger than the threshold (by Redis's clock) cannot be idle that long.
 * Only explicit ids set in the future escape this bound.
 */
export async function summarizeOverview(
  redis: RedisConnection,
  settings: Pick<Settings, "groups" | "families">,
  opts: { match: string; streamCap?: number; stuckCap?: number; visible?: (key: string) => boolean },
): Promise<OverviewSummary> {
  const streamCap = opts.streamCap ?? SUMMARY_STREAM_CAP;
  const stuckCap = opts.stuckCap ?? STUCK_CAP;
  const [scan, time] = await Promise.all([
    scanAllKeys(redis, { match: opts.match, type: "stream", maxKeys: streamCap }),
    redis.time(),
  ]);
  const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
  const keys = scan.keys.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true));

  const reads = streamsOnly(await readStreams(redis, keys, { groups: true, chunkKeys: GROUPS_CHUNK_KEYS }));
  let totalPending = 0;
  const pendingGroups: { key: string; group: string; pending: number; stuckAfterMs: number }[] = [];
  for (const { key, groups } of reads) {
    for (const g of groups!) {
      totalPending += g.pending;
      if (g.pending > 0) {
        const { stuckAfterMs } = resolveGroupRule(settings.groups, key, g.name);
        pendingGroups.push({ key, group: g.name, pending: g.pending, stuckAfterMs });
      }
    }
  }

  let oldestId: number | null = null;
  const oldest = await readOldestPending(
    redis,
    pendingGroups.map((g) => ({ stream: g.key, group: g.group })),
    GROUPS_CHUNK_KEYS,
  );
  for (const first of oldest) {
    if (!first) continue;
    const t = idToTimeMs(first.id);
    if (oldestId === null || t < oldestId) oldestId = t;
  }

  const counts = await readStuckCounts(
    redis,
    pendingGroups.map((g) => ({
      stream: g.key,
      group: g.group,
      minIdleMs: g.stuckAfterMs,
      pending: g.pending,
      end: timeMsToId(now - g.stuckAfterMs, "end"),
    })),
    // Read up to ten times the display cap, so old-but-recently-claimed entries do not hide stuck ones.
    { totalBudget: stuckCap * STUCK_READ_FACTOR },
  );
  const found = counts.reduce((n, c) => n + c.count, 0);
  const stuck = Math.min(found, stuckCap);

  return {
    streams: reads.length,
    totalPending,
    stuck,
    stuckCapped: found > stuckCap || counts.some((c) => !c.complete),
    stuckCap,
    oldestPendingMs: oldestId === null ? null : Math.max(0, now - oldestId),
    complete: scan.complete,
    streamCap,
    familyPatterns: (settings.families ?? []).map((f) => f.pattern),
  };
}
