import { publishMessage } from "@/lib/actions/admin";
import { publishBodySchema, streamParamsSchema } from "@/lib/api/pending-types";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "stream.publish" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const body = await parseBody(publishBodySchema, req);
  return Response.json(await publishMessage(await redisForRequest(), key, body), { status: 201 });
});
