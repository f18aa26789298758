import "server-only";
import type { JobResult, WorkerJob } from "@/lib/worker/types";
import type { RequestContext } from "./route";

/**
 * Runs one worker job now, outside a tick (no lock, no cadence), on the write connection: for the
 * routes that let an operator ask for it ("evaluate alerts now", "take a history sample now").
 */
export async function runJobNow(job: WorkerJob, ctx: RequestContext): Promise<Pick<JobResult, "counts" | "notes">> {
  const result = await job.run({
    redis: await ctx.writeRedis(),
    settings: await ctx.settings(),
    now: ctx.now,
    forced: true,
    heartbeat: async () => undefined,
  });
  return { counts: result.counts, notes: result.notes };
}
