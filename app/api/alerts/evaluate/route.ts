import { alertsJob } from "@/lib/worker/jobs/alerts";
import type { EvaluateResponse } from "@/lib/contract/alerts";
import { getSettings } from "@/lib/config/settings";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Runs the alerts job once now (without waiting for the worker), e.g. right after a fix. */
export const POST = apiRoute({ permission: "operate", action: "alerts.evaluate", globalScope: true }, async (): Promise<EvaluateResponse> => {
  const redis = await redisForRequest();
  const settings = await getSettings(redis);
  const result = await alertsJob.run({ redis, settings, now: Date.now(), forced: true, heartbeat: async () => undefined });
  return { counts: result.counts, notes: result.notes };
});
