import { createGroup } from "@/lib/actions/admin";
import { createGroupBodySchema, streamParamsSchema } from "@/lib/contract/pending";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "group.create" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const body = await parseBody(createGroupBodySchema, req);
  return Response.json(await createGroup(await writeRedisForRequest(), key, body), { status: 201 });
});
