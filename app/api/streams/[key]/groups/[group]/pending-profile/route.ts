import type { PendingProfileResponse } from "@/lib/contract/history";
import { groupParamsSchema } from "@/lib/contract/common";
import { groupPendingProfile } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseParams } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** How long messages usually stay pending in the group, and a suggested stuckAfterMs. */
export const GET = apiRoute<PendingProfileResponse>({ permission: "read" }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const redis = await ctx.redis();
  return groupPendingProfile(redis, key, group, await ctx.settings(), ctx.now);
});
