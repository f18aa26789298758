import { apiRoute } from "@/lib/http/route";
import { parseParams, parseQuery } from "@/lib/http/parse";
import { tailResponse } from "@/lib/streams/tail-sse";
import { streamParamsSchema } from "@/lib/contract/common";
import { tailFromSchema, tailQuerySchema } from "@/lib/contract/tail";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<never>({ permission: "read" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const { from } = parseQuery(tailQuerySchema, req.url);
  return tailResponse(req, await ctx.redis(), key, from ?? lastEventId(req));
});

/** Last-Event-ID comes from the browser: an unusable one is ignored rather than refused. */
function lastEventId(req: Request): string | undefined {
  const parsed = tailFromSchema.safeParse(req.headers.get("last-event-id") ?? undefined);
  return parsed.success ? parsed.data : undefined;
}
