import { getSettings } from "@/lib/config/settings";
import { deletePending } from "@/lib/actions/pending-actions";
import { deleteBodySchema, groupParamsSchema } from "@/lib/contract/pending";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest, writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "pending.delete" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const body = await parseBody(deleteBodySchema, req);
  const result = await deletePending(await writeRedisForRequest(), key, group, body);
  if (!body.dryRun) await reevaluateAfterAction(await redisForRequest(), getSettings(await redisForRequest()), [key]);
  return result;
});
