import { requeuePending } from "@/lib/actions/pending-actions";
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
    const result = await requeuePending(await ctx.writeRedis(), key, group, body);
    if (!body.dryRun) await reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key]);
    return result;
  },
);
