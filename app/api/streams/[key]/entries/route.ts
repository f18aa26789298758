import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";
import { readEntries } from "@/lib/streams/entries";
import { entriesQuerySchema, streamKeyParams } from "@/lib/validations/entries";
import type { EntriesResponse } from "@/lib/contract/entries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req, ctx): Promise<EntriesResponse> => {
  const { key } = await parseParams(streamKeyParams, ctx.params);
  const query = parseQuery(entriesQuerySchema, req.url);
  return readEntries(await redisForRequest(), key, query);
});
