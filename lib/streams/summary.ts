import "server-only";
import type Redis from "ioredis";
import type { OverviewSummary } from "@/lib/contract/streams";
import { getSettings } from "@/lib/config/settings";
import { resolveGroupRule } from "@/lib/config/resolve";
import { countIdlePending } from "@/lib/pending/idle-count";
import { isAppKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, scanAllKeys, type PipelineResult } from "@/lib/redis/keyspace";
import { idToTimeMs, timeMsToId } from "./ids";
import { parseGroups, parsePendingRange } from "./xinfo";

export const SUMMARY_STREAM_CAP = 10_000;
/** PEL entries read, over all groups, to count stuck messages. */
export const STUCK_CAP = 1000;
/** PEL entries read per summary, as a multiple of STUCK_CAP (each XPENDING reads at most 1,000). */
export const STUCK_READ_FACTOR = 10;
/** Keys (or groups) per round trip of XINFO GROUPS / XPENDING - + 1 (one command each). */
const GROUPS_CHUNK_KEYS = 2000;

interface PendingGroup {
  key: string;
  group: string;
  pending: number;
  stuckAfterMs: number;
}

function ok(res: PipelineResult | undefined): unknown {
  if (!res) return undefined;
  const [err, value] = res;
  if (!err) return value;
  // The key or group vanished since it was listed: it counts as nothing.
  if (/no such key|WRONGTYPE|NOGROUP/i.test(err.message)) return undefined;
  throw err;
}

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
  redis: Redis,
  opts: { match: string; streamCap?: number; stuckCap?: number; visible?: (key: string) => boolean },
): Promise<OverviewSummary> {
  const streamCap = opts.streamCap ?? SUMMARY_STREAM_CAP;
  const stuckCap = opts.stuckCap ?? STUCK_CAP;
  const [settings, scan, time] = await Promise.all([
    getSettings(redis),
    scanAllKeys(redis, { match: opts.match, type: "stream", maxKeys: streamCap }),
    redis.time(),
  ]);
  const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
  const keys = scan.keys.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true));

  const groupReplies = await pipelineForKeys(
    redis,
    keys,
    (pipe, key) => {
      pipe.call("XINFO", "GROUPS", key);
    },
    GROUPS_CHUNK_KEYS,
  );
  let streams = 0;
  let totalPending = 0;
  const pendingGroups: PendingGroup[] = [];
  keys.forEach((key, i) => {
    const reply = ok(groupReplies[i]?.[0]);
    if (reply === undefined) return;
    streams++;
    for (const g of parseGroups(reply)) {
      totalPending += g.pending;
      if (g.pending > 0) {
        const { stuckAfterMs } = resolveGroupRule(settings.groups, key, g.name);
        pendingGroups.push({ key, group: g.name, pending: g.pending, stuckAfterMs });
      }
    }
  });

  let at = 0;
  const oldestReplies = await pipelineForKeys(
    redis,
    pendingGroups.map((g) => g.key),
    (pipe, key) => {
      pipe.call("XPENDING", key, pendingGroups[at++]!.group, "-", "+", "1");
    },
    GROUPS_CHUNK_KEYS,
  );
  let oldestId: number | null = null;
  for (const replies of oldestReplies) {
    const first = parsePendingRange(ok(replies[0]))[0];
    if (!first) continue;
    const t = idToTimeMs(first.id);
    if (oldestId === null || t < oldestId) oldestId = t;
  }

  const counts = await countIdlePending(
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
    streams,
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
