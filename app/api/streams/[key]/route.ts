import { streamParamsSchema } from "@/lib/contract/common";
import type { StreamDetail } from "@/lib/contract/streams";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { describeStream } from "@/lib/streams/rows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<StreamDetail>({ permission: "read", shared: true }, async (_req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  return describeStream(await ctx.redis(), key, await ctx.settings());
});
