import type { HistoryResponse } from "@/lib/contract/history";
import { getSettings } from "@/lib/config/settings";
import { streamParams, rangeQuery } from "@/lib/history/params";
import { streamHistory } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req, ctx): Promise<HistoryResponse> => {
  const { key } = await parseParams(streamParams, ctx.params);
  const { range } = parseQuery(rangeQuery, req.url);
  const redis = await redisForRequest();
  return streamHistory(redis, key, range, await getSettings(redis), Date.now());
});
