import { z } from "zod";
import { apiRoute } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";
import { readAudit } from "@/lib/audit/audit";
import { AUDIT_TRAILS } from "@/lib/contract/audit";
import { isFullId } from "@/lib/streams/ids";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  trail: z.enum(AUDIT_TRAILS).optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  stream: z.string().max(2000).optional(),
  result: z.enum(["ok", "error", "denied"]).optional(),
  from: z.coerce.number().int().min(0).max(8.64e15).optional(),
  to: z.coerce.number().int().min(0).max(8.64e15).optional(),
  cursor: z.string().max(41).refine(isFullId, "cursor must be an ms-seq id (64-bit parts)").optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const GET = apiRoute({ permission: "admin", globalScope: true }, async (req) => {
  const query = parseQuery(querySchema, req.url);
  return readAudit(await redisForRequest(), query);
});
