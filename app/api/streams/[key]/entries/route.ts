import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { readEntries } from "@/lib/streams/entries";
import { entriesQuerySchema } from "@/lib/contract/entries";
import { streamParamsSchema } from "@/lib/contract/common";
import type { EntriesResponse } from "@/lib/contract/entries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<EntriesResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const query = parseQuery(entriesQuerySchema, req.url);
  return readEntries(await ctx.redis(), key, query);
});
