import { streamParamsSchema } from "@/lib/contract/common";
import type { TrimPreviewResponse } from "@/lib/contract/trim";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { readTrimPreview } from "@/lib/streams/trim-preview";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<TrimPreviewResponse>({ permission: "read" }, async (_req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  return readTrimPreview(await ctx.redis(), key);
});
