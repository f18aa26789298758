import { groupParamsSchema } from "@/lib/contract/common";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { readIdleHistogram } from "@/lib/pending/idle-histogram";
import type { IdleHistogramResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<IdleHistogramResponse>({ permission: "read" }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  return readIdleHistogram(await ctx.redis(), key, group);
});
