import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  keepStuckSnapshot,
  KEPT_STUCK_BUDGET,
  readGroupPendingStates,
  SUMMARY_STREAM_CAP,
  type GroupPendingState,
  type PendingGroup,
} from "@/lib/streams/summary";
import { idToTimeMs, timeMsToId } from "@/lib/contract/ids";
import { MAX_PENDING_PAGE } from "@/lib/contract/pending";
import {
  KEPT_GROUPS_CAP,
  partialOf,
  redisNowMs,
  STUCK_SNAPSHOT_EVERY_MS,
  storeStuckSnapshot,
} from "@/lib/streams/stuck-snapshot";
import { countStuckInSmallLists, type StreamSnapshot } from "@/lib/streams/snapshot";
import type { WorkerJob } from "../types";

/**
 * The stuck snapshot from the tick's streams when they are every stream under the match: their
 * groups with pending messages are known already, only their pending lists are read.
 */
async function keepFromTick(
  redis: RedisConnection,
  streams: readonly StreamSnapshot[],
): Promise<{ streams: number; groups: number; read: number; complete: boolean }> {
  const found: (PendingGroup & { oldestId: string | null })[] = streams.flatMap((s) =>
    s.groups
      .filter((g) => g.pending > 0)
      .map((g) => ({
        key: s.key,
        group: g.name,
        pending: g.pending,
        stuckAfterMs: g.stuckAfterMs,
        oldestId: g.oldestPending?.id ?? null,
      })),
  );
  const groups = found.slice(0, KEPT_GROUPS_CAP);
  const now = await redisNowMs(redis);
  // A pending list whose oldest id is younger than the threshold holds nothing stuck (ids are
  // never younger than their delivery): its state is known from the tick without a read.
  const states: (GroupPendingState | null)[] = groups.map((g) =>
    g.oldestId !== null && idToTimeMs(g.oldestId) > now - g.stuckAfterMs
      ? { oldestId: g.oldestId, stuck: 0, complete: true }
      : null,
  );
  // The oldest id is known: a small list needs only its stuck entries (countStuckInSmallLists).
  let budget = KEPT_STUCK_BUDGET;
  const small: number[] = [];
  groups.forEach((g, i) => {
    if (states[i] !== null || g.oldestId === null || g.pending > MAX_PENDING_PAGE || g.pending > budget) return;
    small.push(i);
    budget -= g.pending;
  });
  const counts = await countStuckInSmallLists(
    redis,
    small.map((i) => {
      const g = groups[i]!;
      return {
        stream: g.key,
        group: g.group,
        minIdleMs: g.stuckAfterMs,
        pending: g.pending,
        end: timeMsToId(now - g.stuckAfterMs, "end"),
      };
    }),
  );
  small.forEach((i, k) => {
    // A group gone since the tick's snapshot has nothing pending.
    const count = counts[k];
    states[i] =
      count === null
        ? { oldestId: null, stuck: 0, complete: true }
        : { oldestId: groups[i]!.oldestId, stuck: count!, complete: true };
  });
  const toRead = groups.filter((_, i) => states[i] === null);
  const read = await readGroupPendingStates(redis, toRead, now, budget);
  let at = 0;
  const all = states.map((s) => s ?? read[at++]!);
  const partial = partialOf({ groups: found.length, streamsComplete: true }, groups.length);
  await storeStuckSnapshot(redis, {
    at: now,
    groups: groups.map((g, i) => ({ stream: g.key, group: g.group, stuckAfterMs: g.stuckAfterMs, ...all[i]! })),
    ...(partial ? { partial } : {}),
  });
  return {
    streams: streams.length,
    groups: groups.length,
    read: small.length + toRead.length,
    complete: groups.length === found.length && all.every((s) => s.complete),
  };
}

/**
 * The worker job: reads every group's oldest pending id and stuck count once and keeps them for
 * the overview (lib/streams/stuck-snapshot.ts), instead of each dashboard refresh reading them.
 * When the tick's slice is every stream under the match, its groups come from the tick's
 * snapshot; else from a walk of its own (keepStuckSnapshot).
 */
export const stuckSnapshotJob: WorkerJob = {
  name: "stuck-snapshot",
  cadenceMs: STUCK_SNAPSHOT_EVERY_MS,
  async run(ctx) {
    const tick = ctx.streams ? await ctx.streams.read() : null;
    const fromTick = tick !== null && tick.whole && tick.streams.length <= SUMMARY_STREAM_CAP;
    const r: { streams: number; groups: number; complete: boolean; read?: number } = fromTick
      ? await keepFromTick(ctx.redis, tick.streams)
      : await keepStuckSnapshot(ctx.redis, ctx.settings, { match: ctx.keyMatch ?? "*" });
    // One XPENDING per group whose pending list is read (whole, for most; two for a longer one).
    const reads = r.read ?? r.groups;
    return {
      counts: { streams: r.streams, groups: r.groups },
      notes: r.complete ? [] : ["incomplete: a stream, group or PEL budget ran out (the overview reads the rest live)"],
      commands: (fromTick ? tick.commands + 2 : 3 + r.streams) + reads,
    };
  },
};
