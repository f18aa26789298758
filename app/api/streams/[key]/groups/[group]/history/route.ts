import type { HistoryResponse } from "@/lib/contract/history";
import { getSettings } from "@/lib/config/settings";
import { groupParams, rangeQuery } from "@/lib/history/params";
import { groupHistory } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req, ctx): Promise<HistoryResponse> => {
  const { key, group } = await parseParams(groupParams, ctx.params);
  const { range } = parseQuery(rangeQuery, req.url);
  const redis = await redisForRequest();
  return groupHistory(redis, key, group, range, await getSettings(redis), Date.now());
});
