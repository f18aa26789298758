import { getSettings } from "@/lib/config/settings";
import { seesEveryStream, streamScopeFilter } from "@/lib/auth/scope";
import { apiRoute } from "@/lib/http/route";
import { collectMetrics } from "@/lib/metrics/collect";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus text format; at most METRICS_MAX_STREAMS streams per scrape (see lib/metrics/collect.ts). */
export const GET = apiRoute({ permission: "read", metricsToken: true }, async (req) => {
  const redis = await redisForRequest();
  const { contentType, body } = await collectMetrics(redis, await getSettings(redis), {
    now: Date.now(),
    visible: await streamScopeFilter(req),
    workerCounts: await seesEveryStream(req),
  });
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
