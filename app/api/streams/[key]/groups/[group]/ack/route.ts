import { ackPending, planAck } from "@/lib/actions/pending-actions";
import { startBackgroundAction } from "@/lib/http/background";
import { ackBodySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import type { AckResponse, DryRunResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<AckResponse | DryRunResponse>(
  { permission: "operate", action: "pending.ack" },
  async (req, ctx) => {
    const { key, group } = await parseParams(groupParamsSchema, ctx.params);
    const body = await parseBody(ackBodySchema, req);
    if (body.background && !body.dryRun) {
      const plan = await planAck(await ctx.writeRedis(), key, group, body);
      return startBackgroundAction(req, ctx, {
        action: "ack",
        auditAction: "pending.ack",
        stream: key,
        group,
        body,
        plan,
      });
    }
    const result = await ackPending(await ctx.writeRedis(), key, group, body);
    if (!body.dryRun) ctx.beforeAnswer(reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key]));
    return result;
  },
);
