import { deletePending, planDelete } from "@/lib/actions/pending-actions";
import { startBackgroundAction } from "@/lib/http/background";
import { deleteBodySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { apiRoute } from "@/lib/http/route";
import type { DeleteResponse, DryRunResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<DeleteResponse | DryRunResponse>(
  { permission: "operate", action: "pending.delete" },
  async (req, ctx) => {
    const { key, group } = await parseParams(groupParamsSchema, ctx.params);
    const body = await parseBody(deleteBodySchema, req);
    if (body.background && !body.dryRun) {
      const plan = await planDelete(await ctx.writeRedis(), key, group, body);
      return startBackgroundAction(req, ctx, {
        action: "delete",
        auditAction: "pending.delete",
        stream: key,
        group,
        body,
        plan,
      });
    }
    const result = await deletePending(await ctx.writeRedis(), key, group, body);
    if (!body.dryRun) ctx.beforeAnswer(reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key]));
    return result;
  },
);
