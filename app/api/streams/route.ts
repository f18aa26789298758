import { streamsListQuerySchema, streamsPageQuerySchema, type StreamsListResponse } from "@/lib/contract/streams";
import { parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { listIndexedStreams, listStreams } from "@/lib/streams/list";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** With `offset`: a page of the stream index; without: one SCAN page from `cursor`. Rows carry their poison marks (describeStreams). */
export const GET = apiRoute<StreamsListResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  const opts = { visible: ctx.visible, kept: {} };
  if (new URL(req.url).searchParams.has("offset")) {
    const query = parseQuery(streamsPageQuerySchema, req.url);
    return listIndexedStreams(await ctx.connection(), await ctx.settings(), { ...query, ...opts });
  }
  const query = parseQuery(streamsListQuerySchema, req.url);
  return listStreams(await ctx.connection(), await ctx.settings(), { ...query, ...opts });
});
