import { z } from "zod";
import { MAX_SILENCE_MS, silenceAlert } from "@/lib/alerts/store";
import type { SilenceResponse } from "@/lib/contract/alerts";
import { apiRoute } from "@/lib/http/route";
import { parseBody, parseParams } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{1,64}$/, "not an alert id") });
const bodySchema = z.strictObject({ forMs: z.number().int().min(0).max(MAX_SILENCE_MS) });

/** Silences an alert for `forMs` (0 lifts the silence); an alert outside the caller's scope is 404. */
export const POST = apiRoute<SilenceResponse>({ permission: "operate", action: "alert.silence" }, async (req, ctx) => {
  const { id } = await parseParams(paramsSchema, ctx.params);
  const { forMs } = await parseBody(bodySchema, req);
  const redis = await ctx.redis();
  return { alert: await silenceAlert(redis, id, forMs, ctx.now, ctx.visible) };
});
