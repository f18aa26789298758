import { deleteGroup } from "@/lib/actions/admin";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { getGroupDetail } from "@/lib/pending/group";
import type { DeleteGroupResponse, GroupDetailResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<GroupDetailResponse>({ permission: "read", shared: true }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  return getGroupDetail(await ctx.redis(), key, group, ctx.now);
});

export const DELETE = apiRoute<DeleteGroupResponse>(
  { permission: "admin", action: "group.delete" },
  async (_req, ctx) => {
    const { key, group } = await parseParams(groupParamsSchema, ctx.params);
    return deleteGroup(await ctx.writeRedis(), key, group);
  },
);
