import { reapConsumers } from "@/lib/actions/reap";
import { resolveGroupRule } from "@/lib/config/resolve";
import { groupParamsSchema } from "@/lib/contract/common";
import { reapBodySchema, type ReapResponse } from "@/lib/contract/reap";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<ReapResponse>({ permission: "operate", action: "group.reap" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const body = await parseBody(reapBodySchema, req);
  const rule = resolveGroupRule((await ctx.settings()).groups, key, group);
  return reapConsumers(await ctx.writeRedis(), key, group, body, rule);
});
