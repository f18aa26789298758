import type { HistoryResponse } from "@/lib/contract/history";
import { historyRangeQuerySchema } from "@/lib/contract/history";
import { streamParamsSchema } from "@/lib/contract/common";
import { streamHistory } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<HistoryResponse>({ permission: "read" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const { range } = parseQuery(historyRangeQuerySchema, req.url);
  const redis = await ctx.redis();
  return streamHistory(redis, key, range, await ctx.settings(), ctx.now);
});
