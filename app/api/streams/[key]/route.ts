import { z } from "zod";
import type { StreamDetail } from "@/lib/contract/streams";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";
import { describeStream } from "@/lib/streams/rows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const paramsSchema = z.object({ key: z.string().min(1) });

export const GET = apiRoute({ permission: "read" }, async (_req, ctx): Promise<StreamDetail> => {
  const { key } = await parseParams(paramsSchema, ctx.params);
  return describeStream(await redisForRequest(), key);
});
