import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";
import { searchEntries } from "@/lib/streams/search";
import { searchQuerySchema, streamKeyParams } from "@/lib/validations/entries";
import type { SearchResponse } from "@/lib/contract/entries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req, ctx): Promise<SearchResponse> => {
  const { key } = await parseParams(streamKeyParams, ctx.params);
  const query = parseQuery(searchQuerySchema, req.url);
  return searchEntries(await redisForRequest(), key, query);
});
