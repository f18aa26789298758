import { requeuePending, planRequeue } from "@/lib/actions/pending-actions";
import { startBackgroundAction } from "@/lib/http/background";
import { requeueBodySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import type { DryRunResponse, RequeueResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<RequeueResponse | DryRunResponse>(
  { permission: "operate", action: "pending.requeue" },
  async (req, ctx) => {
    const { key, group } = await parseParams(groupParamsSchema, ctx.params);
    const body = await parseBody(requeueBodySchema, req);
    if (body.background && !body.dryRun) {
      const plan = await planRequeue(await ctx.writeRedis(), key, group, body);
      return startBackgroundAction(req, ctx, {
        action: "requeue",
        auditAction: "pending.requeue",
        stream: key,
        group,
        body,
        plan,
      });
    }
    const result = await requeuePending(await ctx.writeRedis(), key, group, body);
    if (!body.dryRun) ctx.beforeAnswer(reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key]));
    return result;
  },
);
