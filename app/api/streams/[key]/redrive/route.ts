import { redrive } from "@/lib/actions/redrive";
import { redriveBodySchema, streamParamsSchema } from "@/lib/contract/pending";
import { parseBody, parseParams } from "@/lib/http/parse";
import { streamScopeFilter } from "@/lib/auth/scope";
import { apiRoute } from "@/lib/http/route";
import { writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "dlq.redrive" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const body = await parseBody(redriveBodySchema, req);
  return redrive(await writeRedisForRequest(), key, body, await streamScopeFilter(req));
});
