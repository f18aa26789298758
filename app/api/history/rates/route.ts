import { ratesKeysSchema, type RatesResponse } from "@/lib/contract/history";
import { recentRates } from "@/lib/history/read";
import { apiRoute } from "@/lib/http/route";
import { parseWith } from "@/lib/http/parse";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `?key=a&key=b...` (at most 200): recent in / acked rates per stream for the overview rows (none for keys outside the caller's scope). */
export const GET = apiRoute<RatesResponse>({ permission: "read" }, async (req, ctx) => {
  const keys = parseWith(ratesKeysSchema, [...new Set(new URL(req.url).searchParams.getAll("key"))], "query key");
  const redis = await ctx.redis();
  return recentRates(redis, keys, ctx.now, ctx.visible);
});
