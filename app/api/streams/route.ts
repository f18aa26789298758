import { getSettings } from "@/lib/config/settings";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { streamsListQuerySchema } from "@/lib/contract/streams-schemas";
import { parseQuery } from "@/lib/http/parse";
import { streamScopeFilter } from "@/lib/auth/scope";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";
import { listStreams } from "@/lib/streams/list";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req): Promise<StreamsListResponse> => {
  const query = parseQuery(streamsListQuerySchema, req.url);
  const redis = await redisForRequest();
  return listStreams(redis, await getSettings(redis), { ...query, visible: await streamScopeFilter(req) });
});
