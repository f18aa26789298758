import { apiFetch, withQuery } from "./fetcher";
import type { AuditQuery, AuditResponse } from "@/lib/contract/audit";

export const auditClient = {
  list: (query: AuditQuery) => apiFetch<AuditResponse>(withQuery("/api/audit", query)),
};
