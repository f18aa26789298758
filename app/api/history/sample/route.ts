import { historyJob } from "@/lib/worker/jobs/history";
import { apiRoute } from "@/lib/http/route";
import type { SampleResponse } from "@/lib/contract/history";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Takes one history sample now (the worker normally does, every sampleEveryMs). */
export const POST = apiRoute<SampleResponse>(
  { permission: "operate", action: "history.sample", globalScope: true },
  async (_req, ctx) => {
    const redis = await ctx.redis();
    const settings = await ctx.settings();
    const result = await historyJob.run({
      redis,
      settings,
      now: ctx.now,
      forced: true,
      heartbeat: async () => undefined,
    });
    return { counts: result.counts, notes: result.notes };
  },
);
