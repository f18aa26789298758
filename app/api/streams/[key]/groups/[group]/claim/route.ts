import { claimPending, planClaim } from "@/lib/actions/pending-actions";
import { startBackgroundAction } from "@/lib/http/background";
import { claimBodySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import type { ClaimResponse, DryRunResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<ClaimResponse | DryRunResponse>(
  { permission: "operate", action: "pending.claim" },
  async (req, ctx) => {
    const { key, group } = await parseParams(groupParamsSchema, ctx.params);
    const body = await parseBody(claimBodySchema, req);
    if (body.background && !body.dryRun) {
      const plan = await planClaim(await ctx.writeRedis(), key, group, body);
      return startBackgroundAction(req, ctx, {
        action: "claim",
        auditAction: "pending.claim",
        stream: key,
        group,
        body,
        plan,
      });
    }
    const result = await claimPending(await ctx.writeRedis(), key, group, body);
    if (!body.dryRun) ctx.beforeAnswer(reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key]));
    return result;
  },
);
