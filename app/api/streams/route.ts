import { streamsListQuerySchema, streamsPageQuerySchema, type StreamsListResponse } from "@/lib/contract/streams";
import { parseQuery } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { listIndexedStreams, listStreams } from "@/lib/streams/list";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** With `offset`: a page of the stream index; without: one SCAN page from `cursor`. */
export const GET = apiRoute<StreamsListResponse>({ permission: "read", shared: true }, async (req, ctx) => {
  if (new URL(req.url).searchParams.has("offset")) {
    const query = parseQuery(streamsPageQuerySchema, req.url);
    const redis = await ctx.connection();
    return listIndexedStreams(redis, await ctx.settings(), { ...query, visible: ctx.visible, kept: {} });
  }
  const query = parseQuery(streamsListQuerySchema, req.url);
  return listStreams(await ctx.connection(), await ctx.settings(), { ...query, visible: ctx.visible, kept: {} });
});
