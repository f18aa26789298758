import type { HistoryResponse } from "@/lib/contract/history";
import { historyRangeQuerySchema } from "@/lib/contract/history";
import { groupParamsSchema } from "@/lib/contract/common";
import { groupHistory } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<HistoryResponse>({ permission: "read" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const { range } = parseQuery(historyRangeQuerySchema, req.url);
  const redis = await ctx.redis();
  return groupHistory(redis, key, group, range, await ctx.settings(), ctx.now);
});
