import { listAlerts } from "@/lib/alerts/store";
import { alertsQuerySchema, type AlertsResponse } from "@/lib/contract/alerts";
import { apiRoute } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Firing alerts first, then resolved ones (kept 7 days, at most 1000); `?state=` narrows; the caller's scope filters. */
export const GET = apiRoute<AlertsResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const { state } = parseQuery(alertsQuerySchema, req.url);
  const redis = await ctx.redis();
  const visible = ctx.visible;
  const alerts = (await listAlerts(redis, ctx.now)).filter((a) => visible(a.stream));
  return { alerts: state ? alerts.filter((a) => a.state === state) : alerts };
});
