/** The trim preview ("What holds this stream's memory?") and the safe trim that acts on it. */
import { z } from "zod";

/** Why a group keeps entries alive: a message it has not acked, or entries it has not read. */
export type TrimHoldReason = "pending" | "unread";

/** What one group keeps: every entry from `keepsFrom` on. */
export interface GroupHold {
  group: string;
  reason: TrimHoldReason;
  /** The oldest pending id (pending), or the last id the group read (unread: it has read nothing after it). */
  id: string;
  /** The first id this group still needs: the oldest pending id, or the id after the last one read. */
  keepsFrom: string;
  /** Pending: who holds the oldest pending message, and for how long. */
  consumer?: string;
  idleMs?: number;
  pending: number;
  /** Entries not yet delivered to the group (null when Redis cannot tell). */
  lag: number | null;
}

export interface TrimPreviewResponse {
  stream: string;
  length: number;
  /** Entries older than every group's hold: what a trim may remove (`exact` false: estimated from ids). */
  trimmable: number;
  exact: boolean;
  /** Entries from this id on are kept (null: no groups, so nothing is trimmed). */
  minKeptId: string | null;
  /** The group that holds the oldest entry, and why (null when there are no groups or nothing is held). */
  blocker: GroupHold | null;
  /** Every group's hold, the oldest first (at most MAX_HOLDS_LISTED). */
  groups: GroupHold[];
  groupCount: number;
  /** `MEMORY USAGE` of the stream (sampled), and the share a trim of `trimmable` would free. */
  memoryBytes: number | null;
  freedBytesEstimate: number;
}

export const MAX_HOLDS_LISTED = 100;

export const trimBodySchema = z.object({}).strict();

export interface TrimResponse {
  stream: string;
  removed: number;
  /** Every entry below this id was acked by every group when the trim ran (null: no groups). */
  threshold: string | null;
}
