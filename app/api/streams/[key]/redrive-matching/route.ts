import { redriveMatching } from "@/lib/actions/redrive";
import { redriveMatchingBodySchema, type RedriveMatchingResponse } from "@/lib/contract/pending";
import { streamParamsSchema } from "@/lib/contract/common";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<RedriveMatchingResponse>(
  { permission: "operate", action: "dlq.redrive-matching" },
  async (req, ctx) => {
    const { key } = await parseParams(streamParamsSchema, ctx.params);
    const body = await parseBody(redriveMatchingBodySchema, req);
    return redriveMatching(await ctx.writeRedis(), key, body, ctx.visible);
  },
);
