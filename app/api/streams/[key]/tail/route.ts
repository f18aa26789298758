import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";
import { tailResponse } from "@/lib/streams/tail-sse";
import { streamKeyParams } from "@/lib/validations/entries";
import { lastEventId, tailQuerySchema } from "@/lib/validations/tail";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req, ctx): Promise<Response> => {
  const { key } = await parseParams(streamKeyParams, ctx.params);
  const { from } = parseQuery(tailQuerySchema, req.url);
  return tailResponse(req, await redisForRequest(), key, from ?? lastEventId(req));
});
