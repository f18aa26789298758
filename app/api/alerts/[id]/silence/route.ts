import { silenceAlert } from "@/lib/alerts/store";
import { alertParamsSchema, silenceRequestSchema, type SilenceResponse } from "@/lib/contract/alerts";
import { apiRoute } from "@/lib/http/route";
import { parseBody, parseParams } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Silences an alert for `forMs` (0 lifts the silence); an alert outside the caller's scope is 404. */
export const POST = apiRoute<SilenceResponse>({ permission: "operate", action: "alert.silence" }, async (req, ctx) => {
  const { id } = await parseParams(alertParamsSchema, ctx.params);
  const { forMs } = await parseBody(silenceRequestSchema, req);
  const redis = await ctx.redis();
  return { alert: await silenceAlert(redis, id, forMs, ctx.now, ctx.visible) };
});
