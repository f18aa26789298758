import { groupParamsSchema } from "@/lib/contract/pending";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { readIdleHistogram } from "@/lib/pending/idle-histogram";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  return readIdleHistogram(await redisForRequest(), key, group);
});
