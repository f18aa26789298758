/** Audit trail shapes, shared by the route, the lib and the audit page. */
export type AuditResult = "ok" | "error" | "denied";

/**
 * `main`: every action of an authenticated caller (and the worker), kept for the configured
 * retention. `anonymous`: refusals of callers who were not authenticated, failed logins
 * included, in a smaller capped stream of their own so that they cannot push the others out.
 */
export type AuditTrail = "main" | "anonymous";
export const AUDIT_TRAILS = ["main", "anonymous"] as const satisfies readonly AuditTrail[];

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
  /** The request was a dry run: nothing changed (`touched` is 0). */
  dryRun?: boolean;
  /**
   * Set when read back: the entry's signature (HMAC keyed from the session secret) matches. False
   * for an entry written or altered by anything but Streamscope, or signed with another key.
   */
  verified?: boolean;
}

export interface AuditQuery {
  /** Which trail to read (default `main`). */
  trail?: AuditTrail;
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
