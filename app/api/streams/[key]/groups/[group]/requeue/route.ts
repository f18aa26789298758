import { requeuePending } from "@/lib/actions/pending-actions";
import { requeueBodySchema, groupParamsSchema } from "@/lib/api/pending-types";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { writeRedisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "operate", action: "pending.requeue" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const body = await parseBody(requeueBodySchema, req);
  return requeuePending(await writeRedisForRequest(), key, group, body);
});
