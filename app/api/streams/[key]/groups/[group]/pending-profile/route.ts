import type { PendingProfileResponse } from "@/lib/contract/history";
import { getSettings } from "@/lib/config/settings";
import { groupParams } from "@/lib/history/params";
import { groupPendingProfile } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseParams } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** How long messages usually stay pending in the group, and a suggested stuckAfterMs. */
export const GET = apiRoute({ permission: "read" }, async (_req, ctx): Promise<PendingProfileResponse> => {
  const { key, group } = await parseParams(groupParams, ctx.params);
  const redis = await redisForRequest();
  return groupPendingProfile(redis, key, group, await getSettings(redis), Date.now());
});
