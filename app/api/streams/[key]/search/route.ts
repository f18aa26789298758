import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { searchEntries } from "@/lib/streams/search";
import { searchQuerySchema } from "@/lib/contract/entries";
import { streamParamsSchema } from "@/lib/contract/common";
import type { SearchResponse } from "@/lib/contract/entries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<SearchResponse>({ permission: "read" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const query = parseQuery(searchQuerySchema, req.url);
  return searchEntries(await ctx.redis(), key, query);
});
