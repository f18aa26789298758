import { entryParamsSchema } from "@/lib/contract/common";
import { apiRoute } from "@/lib/http/route";
import { parseParams } from "@/lib/http/parse";
import { readEntry } from "@/lib/streams/entries";
import type { StreamEntry } from "@/lib/contract/entries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** One entry whole, values uncut (lists cut values over FIELD_VALUE_LIMIT_BYTES). */
export const GET = apiRoute<StreamEntry>({ permission: "read" }, async (_req, ctx) => {
  const { key, id } = await parseParams(entryParamsSchema, ctx.params);
  return readEntry(await ctx.redis(), key, id);
});
