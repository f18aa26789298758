/** Audit trail shapes, shared by the route, the lib and the audit page. */
export type AuditResult = "ok" | "error" | "denied";

export interface AuditEntry {
  /** Stream entry id (set when read back). */
  id?: string;
  time: number;
  who: string;
  role: string | null;
  method: string;
  ip: string;
  userAgent: string;
  action: string;
  stream?: string;
  group?: string;
  /** The first ids of the request (at most 20) and how many there were. */
  ids?: string[];
  idCount?: number;
  /** The request's filter as JSON, truncated. */
  filter?: string;
  /** Messages touched (sum of the result's counts), null when unknown. */
  touched: number | null;
  result: AuditResult;
  status: number;
  /** Why it was refused or failed (error code). */
  reason?: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  stream?: string;
  result?: AuditResult;
  from?: number;
  to?: number;
  cursor?: string;
  limit?: number;
}

export interface AuditResponse {
  entries: AuditEntry[];
  /** Pass back as `cursor` for older entries; null at the end. */
  next: string | null;
}
