import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  keepStuckSnapshot,
  KEPT_STUCK_BUDGET,
  readGroupPendingStates,
  SUMMARY_STREAM_CAP,
  type PendingGroup,
} from "@/lib/streams/summary";
import { KEPT_GROUPS_CAP, redisNowMs, STUCK_SNAPSHOT_EVERY_MS, storeStuckSnapshot } from "@/lib/streams/stuck-snapshot";
import type { StreamSnapshot } from "@/lib/streams/snapshot";
import type { WorkerJob } from "../types";

/**
 * The stuck snapshot from the tick's streams when they are every stream under the match: their
 * groups with pending messages are known already, only their pending lists are read.
 */
async function keepFromTick(
  redis: RedisConnection,
  streams: readonly StreamSnapshot[],
): Promise<{ streams: number; groups: number; complete: boolean }> {
  const found: PendingGroup[] = streams.flatMap((s) =>
    s.groups
      .filter((g) => g.pending > 0)
      .map((g) => ({ key: s.key, group: g.name, pending: g.pending, stuckAfterMs: g.stuckAfterMs })),
  );
  const groups = found.slice(0, KEPT_GROUPS_CAP);
  const now = await redisNowMs(redis);
  const states = await readGroupPendingStates(redis, groups, now, KEPT_STUCK_BUDGET);
  await storeStuckSnapshot(redis, {
    at: now,
    groups: groups.map((g, i) => ({ stream: g.key, group: g.group, stuckAfterMs: g.stuckAfterMs, ...states[i]! })),
  });
  return {
    streams: streams.length,
    groups: groups.length,
    complete: groups.length === found.length && states.every((s) => s.complete),
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
    const r = fromTick
      ? await keepFromTick(ctx.redis, tick.streams)
      : await keepStuckSnapshot(ctx.redis, ctx.settings, { match: ctx.keyMatch ?? "*" });
    return {
      counts: { streams: r.streams, groups: r.groups },
      notes: r.complete ? [] : ["incomplete: a stream, group or PEL budget ran out (the overview reads the rest live)"],
      // One XPENDING per group whose pending list is read whole (most); two for a longer one.
      commands: (fromTick ? tick.commands + 2 : 3 + r.streams) + r.groups,
    };
  },
};
