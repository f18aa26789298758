import { redrive } from "@/lib/actions/redrive";
import { redriveBodySchema } from "@/lib/contract/pending";
import { streamParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import type { DryRunResponse, RedriveResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<RedriveResponse | DryRunResponse>(
  { permission: "operate", action: "dlq.redrive" },
  async (req, ctx) => {
    const { key } = await parseParams(streamParamsSchema, ctx.params);
    const body = await parseBody(redriveBodySchema, req);
    return redrive(await ctx.writeRedis(), key, body, ctx.visible);
  },
);
