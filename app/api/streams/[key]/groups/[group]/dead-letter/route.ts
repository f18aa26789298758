import { deadLetterPending, planDeadLetter } from "@/lib/actions/pending-actions";
import { startBackgroundAction } from "@/lib/http/background";
import { deadLetterBodySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import type { DeadLetterResponse, DryRunResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<DeadLetterResponse | DryRunResponse>(
  { permission: "operate", action: "pending.dead-letter" },
  async (req, ctx) => {
    const { key, group } = await parseParams(groupParamsSchema, ctx.params);
    const body = await parseBody(deadLetterBodySchema, req);
    if (body.background && !body.dryRun) {
      const plan = await planDeadLetter(await ctx.writeRedis(), key, group, body, ctx.visible);
      return startBackgroundAction(req, ctx, {
        action: "dead-letter",
        auditAction: "pending.dead-letter",
        stream: key,
        group,
        body,
        plan,
      });
    }
    const result = await deadLetterPending(await ctx.writeRedis(), key, group, body, ctx.visible);
    if (!("dryRun" in result))
      ctx.beforeAnswer(reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key, result.target]));
    return result;
  },
);
