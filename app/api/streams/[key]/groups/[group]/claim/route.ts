import { getSettings } from "@/lib/config/settings";
import { claimPending } from "@/lib/actions/pending-actions";
import { claimBodySchema, groupParamsSchema } from "@/lib/contract/pending";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest, writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "pending.claim" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const body = await parseBody(claimBodySchema, req);
  const result = await claimPending(await writeRedisForRequest(), key, group, body);
  if (!body.dryRun) await reevaluateAfterAction(await redisForRequest(), getSettings(await redisForRequest()), [key]);
  return result;
});
