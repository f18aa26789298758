import { getSettings } from "@/lib/config/settings";
import { overviewQuerySchema } from "@/lib/contract/streams-schemas";
import type { OverviewSummary } from "@/lib/contract/streams";
import { parseQuery } from "@/lib/http/parse";
import { streamScopeFilter } from "@/lib/auth/scope";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";
import { summarizeOverview } from "@/lib/streams/summary";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req): Promise<OverviewSummary> => {
  const { match } = parseQuery(overviewQuerySchema, req.url);
  const redis = await redisForRequest();
  return summarizeOverview(redis, await getSettings(redis), { match, visible: await streamScopeFilter(req) });
});
