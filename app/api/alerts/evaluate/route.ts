import { alertsJob } from "@/lib/worker/jobs/alerts";
import type { EvaluateResponse } from "@/lib/contract/alerts";
import { apiRoute } from "@/lib/http/route";
import { runJobNow } from "@/lib/http/run-job-now";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Runs the alerts job once now (without waiting for the worker), e.g. right after a fix. */
export const POST = apiRoute<EvaluateResponse>(
  { permission: "operate", action: "alerts.evaluate", globalScope: true },
  async (_req, ctx) => runJobNow(alertsJob, ctx),
);
