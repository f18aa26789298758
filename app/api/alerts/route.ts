import { listAlerts } from "@/lib/alerts/store";
import { alertsQuerySchema, MAX_ALERTS_ANSWER, type AlertsResponse } from "@/lib/contract/alerts";
import { apiRoute } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Firing alerts first (most severe first), then resolved ones (kept 7 days, at most 1000); `?state=`
 * narrows; the caller's scope filters. At most MAX_ALERTS_ANSWER listed, with the totals.
 */
export const GET = apiRoute<AlertsResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const { state } = parseQuery(alertsQuerySchema, req.url);
  const redis = await ctx.redis();
  const visible = ctx.visible;
  const seen = (await listAlerts(redis, ctx.now)).filter((a) => visible(a.stream));
  const firing = seen.filter((a) => a.state === "firing").length;
  const alerts = state ? seen.filter((a) => a.state === state) : seen;
  return {
    alerts: alerts.slice(0, MAX_ALERTS_ANSWER),
    total: { firing, resolved: seen.length - firing },
    omitted: Math.max(0, alerts.length - MAX_ALERTS_ANSWER),
  };
});
