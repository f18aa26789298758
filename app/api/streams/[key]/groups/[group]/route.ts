import { deleteGroup } from "@/lib/actions/admin";
import { groupParamsSchema } from "@/lib/contract/pending";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { getGroupDetail } from "@/lib/pending/group";
import { redisForRequest, writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  return getGroupDetail(await redisForRequest(), key, group);
});

export const DELETE = apiRoute({ permission: "admin", action: "group.delete" }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  return deleteGroup(await writeRedisForRequest(), key, group);
});
