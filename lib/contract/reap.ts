/** The safe dead-consumer reaper: hand over or requeue, then delete only a consumer that owns nothing. */
import { z } from "zod";
import type { ReapPolicy } from "./config";

export const reapBodySchema = z
  .object({
    /** Consumers inactive at least this long are reaped; their messages idle this long are handed over or requeued. */
    idleMs: z
      .number()
      .int()
      .min(1000)
      .max(365 * 24 * 3_600_000),
    /** Hand-over policy: the live consumer that takes the messages (default: the most recently active one not reaped). */
    to: z.string().min(1).max(1024).optional(),
    dryRun: z.boolean().optional(),
    /**
     * Requeue policy on a stream read by several groups: the copies reach every group, so the
     * requeue is refused (REQUEUE_NEEDS_ALL_GROUPS) unless this or the group rule's allGroups is set.
     */
    allGroups: z.boolean().optional(),
    /**
     * Over the group's consumer cap, list every consumer with one XINFO CONSUMERS call (O(consumers)
     * inside Redis: tens of ms at 100,000) to find idle consumers that own nothing. Without it, only
     * owners of pending messages are reaped there.
     */
    bulk: z.boolean().optional(),
    /**
     * With `bulk`: answer 202 `{job}` at once and reap in a background job, call after call until
     * no idle consumer is left (progress and cancel as for the pending actions' jobs).
     */
    background: z.boolean().optional(),
  })
  .strict()
  .refine((b) => !b.background || b.bulk === true, {
    message: "background needs bulk: true",
    path: ["background"],
  });
export type ReapBody = z.infer<typeof reapBodySchema>;

/** deleted: gone, owning nothing; kept: still owns messages (none moved yet, or no live consumer); woke: it touched a message meanwhile and keeps it. */
export type ReapOutcome = "deleted" | "kept" | "woke";

export interface ReapedConsumer {
  name: string;
  /** Pending messages it owned when the reaper looked. */
  pending: number;
  /** Inactive time when listed (null: it never read anything, 7.2+). */
  inactiveMs: number | null;
  outcome: ReapOutcome;
}

export interface ReapResponse {
  dryRun: boolean;
  /** The group rule's reapPolicy: messages go to a live consumer (`to`), or are requeued onto the stream. */
  policy: ReapPolicy;
  /** The consumers looked at, at most REAP_CONSUMERS_LISTED (the rest counted in consumersOmitted). */
  consumers: ReapedConsumer[];
  consumersOmitted: number;
  /** Messages handed to `to` (dry run: that would be); 0 under the requeue policy. */
  handedOver: number;
  /** Messages requeued: copied as new entries onto the stream and acked (dry run: that would be); 0 under hand-over. */
  requeued: number;
  deleted: number;
  /** Who took the messages (null when nobody was live, and under the requeue policy). */
  to: string | null;
  /** "all" consumers were listed, or only "pending-owners" (a group over the cap without `bulk`). */
  listed: "all" | "pending-owners" | "oldest-pending-owners";
  /** Idle consumers left for another call (per-call limits). */
  more: boolean;
}

/** Consumers one call reaps, and messages it hands over, at most. */
export const REAP_CONSUMERS_PER_CALL = 10_000;
export const REAP_MESSAGES_PER_CALL = 100_000;
export const REAP_CONSUMERS_LISTED = 1000;
