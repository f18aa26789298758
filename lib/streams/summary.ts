import "server-only";
import type Redis from "ioredis";
import type { OverviewSummary } from "@/lib/api/streams-types";
import { getSettings } from "@/lib/config/settings";
import { resolveGroupRule } from "@/lib/config/resolve";
import { isAppKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, scanAllKeys, type PipelineResult } from "@/lib/redis/keyspace";
import { idToTimeMs, timeMsToId } from "./ids";
import { parseGroups, parsePendingRange } from "./xinfo";

export const SUMMARY_STREAM_CAP = 10_000;
export const STUCK_CAP = 1000;
/** At most this many PEL entries asked for in one pipelined round of stuck counting. */
const STUCK_ROUND_BUDGET = 5000;
/** Keys per round trip of XINFO GROUPS (one command each). */
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
 * group's own threshold (its settings rule, default 30 s), counted with
 * `XPENDING key group IDLE <threshold> - <end> <n>` up to `stuckCap` (`stuckCapped: true` then).
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

  let stuck = 0;
  let oldestId: number | null = null;
  for (let start = 0; start < pendingGroups.length; ) {
    const remaining = Math.max(0, stuckCap - stuck);
    const batch = takeBatch(pendingGroups, start, remaining);
    start += batch.length;
    const byKey = new Map<string, PendingGroup[]>();
    for (const g of batch) byKey.set(g.key, [...(byKey.get(g.key) ?? []), g]);
    const replies = await pipelineForKeys(
      redis,
      [...byKey.keys()],
      (pipe, key) => {
        for (const g of byKey.get(key)!) {
          pipe.call("XPENDING", key, g.group, "-", "+", "1");
          if (remaining > 0) {
            const end = timeMsToId(now - g.stuckAfterMs, "end");
            pipe.call("XPENDING", key, g.group, "IDLE", String(g.stuckAfterMs), "-", end, String(Math.min(g.pending, remaining)));
          }
        }
      },
      byKey.size,
    );
    for (const perKey of replies) {
      for (let j = 0; j < perKey.length; j += remaining > 0 ? 2 : 1) {
        const first = parsePendingRange(ok(perKey[j]))[0];
        if (first) {
          const t = idToTimeMs(first.id);
          if (oldestId === null || t < oldestId) oldestId = t;
        }
        if (remaining > 0) stuck += parsePendingRange(ok(perKey[j + 1])).length;
      }
    }
  }

  return {
    streams,
    totalPending,
    stuck: Math.min(stuck, stuckCap),
    stuckCapped: stuck >= stuckCap,
    stuckCap,
    oldestPendingMs: oldestId === null ? null : Math.max(0, now - oldestId),
    complete: scan.complete,
    streamCap,
    familyPatterns: (settings.families ?? []).map((f) => f.pattern),
  };
}

/** Groups for one pipelined round: at most STUCK_ROUND_BUDGET PEL entries asked for, at most 2000 groups. */
function takeBatch(groups: readonly PendingGroup[], start: number, remaining: number): PendingGroup[] {
  const out: PendingGroup[] = [];
  let budget = 0;
  for (let i = start; i < groups.length && out.length < 2000; i++) {
    const g = groups[i]!;
    const ask = Math.min(g.pending, remaining) + 1;
    if (out.length > 0 && budget + ask > STUCK_ROUND_BUDGET) break;
    out.push(g);
    budget += ask;
  }
  return out;
}
