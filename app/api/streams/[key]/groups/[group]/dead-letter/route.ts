import { getSettings } from "@/lib/config/settings";
import { deadLetterPending } from "@/lib/actions/pending-actions";
import { deadLetterBodySchema, groupParamsSchema } from "@/lib/contract/pending";
import { parseBody, parseParams } from "@/lib/http/parse";
import { streamScopeFilter } from "@/lib/auth/scope";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest, writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "pending.dead-letter" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const body = await parseBody(deadLetterBodySchema, req);
  const result = await deadLetterPending(await writeRedisForRequest(), key, group, body, await streamScopeFilter(req));
  if (!("dryRun" in result)) await reevaluateAfterAction(await redisForRequest(), getSettings(await redisForRequest()), [key, result.target]);
  return result;
});
