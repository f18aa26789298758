import { z } from "zod";
import { getSettings } from "@/lib/config/settings";
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
  const redis = await redisForRequest();
  return describeStream(redis, key, await getSettings(redis));
});
