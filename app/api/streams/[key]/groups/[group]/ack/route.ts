import { ackPending } from "@/lib/actions/pending-actions";
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
    const result = await ackPending(await ctx.writeRedis(), key, group, body);
    if (!body.dryRun) await reevaluateAfterAction(await ctx.redis(), ctx.settings(), [key]);
    return result;
  },
);
