import { publishMessage } from "@/lib/actions/admin";
import { idempotencyKeySchema, publishBodySchema } from "@/lib/contract/pending";
import { streamParamsSchema } from "@/lib/contract/common";
import { badRequest } from "@/lib/errors";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import type { PublishResponse } from "@/lib/contract/pending";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A retried publish with the same `Idempotency-Key` answers the first id and adds nothing. */
export const POST = apiRoute<PublishResponse>({ permission: "operate", action: "stream.publish" }, async (req, ctx) => {
  const { key } = await parseParams(streamParamsSchema, ctx.params);
  const header = req.headers.get("idempotency-key");
  const idempotencyKey = header === null ? undefined : idempotencyKeySchema.safeParse(header);
  if (idempotencyKey && !idempotencyKey.success)
    throw badRequest(idempotencyKey.error.issues[0]?.message ?? "Bad Idempotency-Key");
  const body = await parseBody(publishBodySchema, req);
  return Response.json(await publishMessage(await ctx.writeRedis(), key, body, idempotencyKey?.data), { status: 201 });
});
