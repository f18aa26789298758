import { apiRoute } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/parse";
import { readAudit } from "@/lib/audit/audit";
import { auditQuerySchema } from "@/lib/contract/audit";
import type { AuditResponse } from "@/lib/contract/audit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<AuditResponse>({ permission: "admin", globalScope: true }, async (req, ctx) => {
  const query = parseQuery(auditQuerySchema, req.url);
  return readAudit(await ctx.redis(), query);
});
