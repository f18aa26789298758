import { streamParamsSchema } from "@/lib/contract/common";
import { trimBodySchema, type TrimResponse } from "@/lib/contract/trim";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { assertStream } from "@/lib/streams/assert-stream";
import { trimAcked } from "@/lib/streams/trim";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Entries one request may remove; Redis bounds each XTRIM call itself. */
const TRIM_BUDGET = 1_000_000;

export const POST = apiRoute<TrimResponse>({ permission: "operate", action: "stream.trim" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  await parseBody(trimBodySchema, req);
  const redis = await ctx.writeRedis();
  await assertStream(redis, key);
  const { removed, threshold } = await trimAcked(redis, key, TRIM_BUDGET);
  return { stream: key, removed, threshold };
});
