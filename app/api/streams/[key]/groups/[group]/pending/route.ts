import { pendingQuerySchema } from "@/lib/contract/pending";
import { groupParamsSchema } from "@/lib/contract/common";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { readPendingPage } from "@/lib/pending/page";
import type { PendingPageResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<PendingPageResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const query = parseQuery(pendingQuerySchema, req.url);
  return readPendingPage(await ctx.redis(), key, group, query);
});
