import { overviewQuerySchema, type OverviewSummary } from "@/lib/contract/streams";
import { parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { summarizeOverview } from "@/lib/streams/summary";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<OverviewSummary>({ permission: "read", shared: true }, async (req, ctx) => {
  const { match } = parseQuery(overviewQuerySchema, req.url);
  return summarizeOverview(await ctx.connection(), await ctx.settings(), { match, visible: ctx.visible, kept: {} });
});
