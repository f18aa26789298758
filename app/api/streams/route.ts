import { streamsListQuerySchema, type StreamsListResponse } from "@/lib/contract/streams";
import { parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { listStreams } from "@/lib/streams/list";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<StreamsListResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const query = parseQuery(streamsListQuerySchema, req.url);
  return listStreams(await ctx.connection(), await ctx.settings(), { ...query, visible: ctx.visible, kept: {} });
});
