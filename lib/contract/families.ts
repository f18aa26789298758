/** The retention check of one family (hourly or daily streams of one rotation pattern). */
import { z } from "zod";

/** Path parameter: the family's pattern, `orders_<yyyyMMddHH>` (apiRoute has already unescaped it). */
export const familyParamsSchema = z.object({
  pattern: z
    .string()
    .min(1)
    .max(512)
    .refine((p) => p.includes("<yyyyMMddHH>") || p.includes("<yyyyMMdd>"), {
      message: "not a family pattern: it needs <yyyyMMddHH> or <yyyyMMdd>",
    }),
});

/** Members read per request (a family has a few hundred at most): the newest ones. */
export const MAX_RETENTION_MEMBERS = 500;

export interface RetentionMember {
  key: string;
  /** Milliseconds until the member expires; null when it has no expiry. */
  ttlMs: number | null;
  /** MEMORY USAGE (sampled); null when the server refuses it. */
  memoryBytes: number | null;
  length: number;
  groups: number;
  /** Messages some group has not finished: max over groups of pending + not yet delivered. */
  unprocessed: number;
  pending: number;
  /** No expiry: the member never goes away. */
  noTtl: boolean;
  /** It expires with unprocessed messages: they are dropped in `ttlMs` unless the groups catch up. */
  atRisk: boolean;
  /**
   * No expiry and not set up by the worker: a producer created it before (or without) rotation,
   * which gives every member it creates its expiry in the same script.
   */
  producerCreated: boolean;
}

export interface FamilyRetentionResponse {
  pattern: string;
  /** Whether the pattern is configured (the worker rotates it), and its members' TTL after their period. */
  configured: boolean;
  ttlSeconds: number | null;
  /** Newest period first, at most MAX_RETENTION_MEMBERS. */
  members: RetentionMember[];
  /** Members found; more than `members.length` when capped. */
  memberCount: number;
  capped: boolean;
  /** False while the stream index is still on its first pass (members may be missing). */
  complete: boolean;
  /** Sum of the members' memory read (null when the server refuses MEMORY USAGE). */
  memoryBytes: number | null;
}
