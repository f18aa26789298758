import { apiRoute } from "@/lib/http/route";
import { collectMetrics } from "@/lib/metrics/collect";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus text format; at most METRICS_MAX_STREAMS streams per scrape (see lib/metrics/collect.ts). */
export const GET = apiRoute<never>({ permission: "read", metricsToken: true, shared: true }, async (req, ctx) => {
  const redis = await ctx.redis();
  const { contentType, body } = await collectMetrics(redis, await ctx.settings(), {
    now: ctx.now,
    visible: ctx.visible,
    workerCounts: ctx.seesEveryStream,
  });
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
