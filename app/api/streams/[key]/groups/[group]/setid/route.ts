import { setGroupId } from "@/lib/actions/admin";
import { setIdBodySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import type { SetIdResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<SetIdResponse>({ permission: "operate", action: "group.setid" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const body = await parseBody(setIdBodySchema, req);
  return setGroupId(await ctx.writeRedis(), key, group, body);
});
