import { historyJob } from "@/lib/worker/jobs/history";
import { apiRoute } from "@/lib/http/route";
import { runJobNow } from "@/lib/http/run-job-now";
import type { SampleResponse } from "@/lib/contract/history";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Takes one history sample now (the worker normally does, every sampleEveryMs). */
export const POST = apiRoute<SampleResponse>(
  { permission: "operate", action: "history.sample", globalScope: true },
  async (_req, ctx) => runJobNow(historyJob, ctx),
);
