import "server-only";
import { keepStuckSnapshot } from "@/lib/streams/summary";
import { STUCK_SNAPSHOT_EVERY_MS } from "@/lib/streams/stuck-snapshot";
import type { WorkerJob } from "../types";

/**
 * The worker job: reads every group's oldest pending id and stuck count once and keeps them for
 * the overview (lib/streams/stuck-snapshot.ts), instead of each dashboard refresh reading them.
 */
export const stuckSnapshotJob: WorkerJob = {
  name: "stuck-snapshot",
  cadenceMs: STUCK_SNAPSHOT_EVERY_MS,
  async run(ctx) {
    const r = await keepStuckSnapshot(ctx.redis, ctx.settings, { match: ctx.keyMatch ?? "*" });
    return {
      counts: { streams: r.streams, groups: r.groups },
      notes: r.complete ? [] : ["incomplete: a stream, group or PEL budget ran out (the overview reads the rest live)"],
      commands: 3 + r.streams + r.groups * 2,
    };
  },
};
