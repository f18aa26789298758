/** Audit trail shapes, shared by the route, the lib and the audit page. */
import { z } from "zod";
import { isFullId } from "./ids";

export const AUDIT_RESULTS = ["ok", "error", "denied"] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

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
  /** The background job this entry ends (its final counts are in `touched`). */
  job?: string;
  /** The request was a dry run: nothing changed (`touched` is 0). */
  dryRun?: boolean;
  /**
   * Set when read back: the entry's signature (HMAC keyed from the session secret) matches. False
   * for an entry written or altered by anything but Streamscope, or signed with another key.
   */
  verified?: boolean;
}

/** `GET /api/audit` query. `trail`: which trail to read (default `main`). */
export const auditQuerySchema = z.strictObject({
  trail: z.enum(AUDIT_TRAILS).optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  stream: z.string().max(2000).optional(),
  result: z.enum(AUDIT_RESULTS).optional(),
  from: z.coerce.number().int().min(0).max(8.64e15).optional(),
  to: z.coerce.number().int().min(0).max(8.64e15).optional(),
  cursor: z.string().max(41).refine(isFullId, "cursor must be an ms-seq id (64-bit parts)").optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export interface AuditResponse {
  entries: AuditEntry[];
  /** Pass back as `cursor` for older entries; null at the end. */
  next: string | null;
}
