import { createGroup } from "@/lib/actions/admin";
import { createGroupBodySchema } from "@/lib/contract/pending";
import { streamParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import type { CreateGroupResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<CreateGroupResponse>(
  { permission: "operate", action: "group.create" },
  async (req, ctx) => {
    const { key } = await parseParams(streamParamsSchema, ctx.params);
    const body = await parseBody(createGroupBodySchema, req);
    return Response.json(await createGroup(await ctx.writeRedis(), key, body), { status: 201 });
  },
);
