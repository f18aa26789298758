import { apiRoute, sharedReadKey } from "@/lib/http/route";
import { scrapeMetrics } from "@/lib/metrics/collect";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus text format, from the stream index, bounded and shared for metrics.cacheMs (see lib/metrics/collect.ts). */
export const GET = apiRoute<never>({ permission: "read", metricsToken: true }, async (req, ctx) => {
  const { contentType, body } = await scrapeMetrics(await ctx.connection(), await ctx.settings(), {
    cacheKey: sharedReadKey(req, ctx.identity),
    now: ctx.now,
    visible: ctx.visible,
    workerCounts: ctx.seesEveryStream,
  });
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
