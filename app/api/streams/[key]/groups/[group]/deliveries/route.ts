import { groupParamsSchema } from "@/lib/contract/common";
import { deliveriesQuerySchema, type DeliveriesResponse } from "@/lib/contract/deliveries";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { readDeliveries } from "@/lib/pending/deliveries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<DeliveriesResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const { over } = parseQuery(deliveriesQuerySchema, req.url);
  return readDeliveries(await ctx.redis(), key, group, over);
});
