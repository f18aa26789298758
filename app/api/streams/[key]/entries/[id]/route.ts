import { z } from "zod";
import { apiRoute } from "@/lib/http/route";
import { parseParams } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";
import { readEntry } from "@/lib/streams/entries";
import type { StreamEntry } from "@/lib/contract/entries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({ key: z.string().min(1), id: z.string().min(1).max(64) });

/** One entry whole, values uncut (lists cut values over FIELD_VALUE_LIMIT_BYTES). */
export const GET = apiRoute({ permission: "read" }, async (_req, ctx): Promise<StreamEntry> => {
  const { key, id } = await parseParams(params, ctx.params);
  return readEntry(await redisForRequest(), key, id);
});
