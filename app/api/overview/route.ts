import { overviewQuerySchema, type OverviewSummary } from "@/lib/contract/streams";
import { parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { indexedKeys } from "@/lib/streams/list";
import { summarizeOverview } from "@/lib/streams/summary";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<OverviewSummary>({ permission: "read", shared: true }, async (req, ctx) => {
  const { match, node } = parseQuery(overviewQuerySchema, req.url);
  const redis = await ctx.connection();
  const known = await indexedKeys(redis, match, node);
  const summary = await summarizeOverview(redis, await ctx.settings(), {
    match,
    node,
    visible: ctx.visible,
    kept: {},
    known,
  });
  return known.complete ? summary : { ...summary, discovering: true };
});
