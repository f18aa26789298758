/**
 * The contract of the group / pending / actions / admin API: request schemas (zod, shared by the
 * route handlers and the UI forms) and response types (shared by the routes and the hooks).
 * No server imports here: the browser bundles this file.
 */
import { z } from "zod";
import type { DataAge } from "./age";
import { isValidId } from "./ids";
import type { ListFieldPair } from "./common";
import type { ConsumerGroup } from "./streams";
import type { ReapPolicy } from "./config";

/** Most ids one `{ids}` request may name. */
export const MAX_IDS_PER_REQUEST = 10_000;
/** Largest page of the pending explorer (XPENDING COUNT cap). */
export const MAX_PENDING_PAGE = 1000;
export const DEFAULT_PENDING_PAGE = 100;
/** Largest batch one Redis command or script call handles in bulk work. */
export const ACTION_BATCH = 500;
/** Highest pace a background job may be given (messages a second). */
export const MAX_PACE_PER_SECOND = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** A stream id `ms` or `ms-seq` (u64 parts). */
export const streamIdSchema = z.string().max(41).refine(isValidId, "not a stream id (ms-seq)");

/** A page cursor: an id, or `(id` for "strictly after id" (what `next` answers). */
export const cursorSchema = z
  .string()
  .max(42)
  .refine((v) => isValidId(v.startsWith("(") ? v.slice(1) : v), "not a stream id or (id cursor");

const nameSchema = z.string().min(1).max(1024);
const nonNegInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const queryBool = z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true");

/** A message field value: text, or `{base64}` for bytes that are not UTF-8. */
export const fieldValueSchema = z.union([z.string(), z.strictObject({ base64: z.base64() })]);
export const fieldPairSchema = z.tuple([fieldValueSchema, fieldValueSchema]);

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export interface ConsumerRow {
  name: string;
  pending: number;
  /** ms since the last attempted read/claim (7.2+), or the last successful one (7.0); null = unknown (group over the consumer cap). */
  idleMs: number | null;
  /** ms since the last successful read/claim (`inactive` on 7.2+, `idle` on 7.0); null = never. */
  inactiveMs: number | null;
  /** Owns pending messages and inactive longer than the group's stuckAfterMs. */
  dead: boolean;
}

/**
 * How fast a group's lag (in entries) changes, from its recent history samples. `ratePerSec`:
 * entries per second the lag falls (negative: it grows, the group falls behind); `etaMs`: time
 * until the lag reaches 0 at that rate (null when it grows).
 */
export interface Drain {
  ratePerSec: number;
  etaMs: number | null;
}

/** `GET /api/streams/{key}/groups/{group}` */
export interface GroupDetailResponse extends ConsumerGroup, DataAge {
  /** Age (from its id) of the oldest entry not yet delivered to the group; 0 when none. */
  lagMs: number;
  /** Age (from its id) of the oldest pending message; null when nothing is pending. */
  oldestPendingMs: number | null;
  /** null when the lag is flat or the history holds too few samples. */
  drain: Drain | null;
  stuckAfterMs: number;
  /** Where dead-lettering sends messages by default (the group rule's target, expanded). */
  deadLetterTarget: string;
  /** The group rule's reapPolicy: where the reaper sends an idle consumer's pending messages. */
  reapPolicy: ReapPolicy;
  consumers: ConsumerRow[];
  /**
   * "all": every consumer is in `consumers`; "pending-owners": the group has more consumers than
   * CONSUMER_LIST_CAP, `consumers` holds only those owning pending messages (at most 1,000, most
   * pending first), idle unknown; "oldest-pending-owners": the same, found among the oldest
   * 10,000 pending messages of a longer pending list (pending counts among those).
   */
  consumersListed: "all" | "pending-owners" | "oldest-pending-owners";
  /** Consumers of the group left out of `consumers`. */
  consumersOmitted: number;
}

/** `GET .../groups/{group}/pending` query. `start` takes a previous answer's `next` as is. */
export const pendingQuerySchema = z.object({
  consumer: nameSchema.optional(),
  minIdleMs: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  minDeliveries: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  start: cursorSchema.optional(),
  end: streamIdSchema.optional(),
  count: queryInt(1, MAX_PENDING_PAGE).default(DEFAULT_PENDING_PAGE),
  /** `1`: each entry also carries its fields (one pipeline for the page). */
  withFields: queryBool.optional(),
});
export type PendingQueryParsed = z.output<typeof pendingQuerySchema>;
/** What the client passes (the route coerces the query strings; defaults fill what is left out). */
export type PendingQuery = Partial<PendingQueryParsed>;

export interface PendingSummaryDto {
  count: number;
  minId: string | null;
  maxId: string | null;
  /** Consumers owning at least one pending message. */
  consumers: { name: string; pending: number }[];
}

export interface PendingEntryRow {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
  /** Orphaned: the id is pending but its entry was deleted (XDEL) or trimmed. */
  deleted: boolean;
  /**
   * Only with `withFields=1`; null for a deleted entry. Long values cut and at most 100 pairs, as
   * in the entries list (StreamEntry.fields); the page stops early at the answer budget.
   */
  fields?: ListFieldPair[] | null;
  fieldsOmitted?: number;
}

/** `GET .../groups/{group}/pending` */
export interface PendingPageResponse extends DataAge {
  summary: PendingSummaryDto;
  entries: PendingEntryRow[];
  /** Pass back as `start` for the next page; null at the end. */
  next: string | null;
  /**
   * True when the server stopped early because filtering (minIdleMs / minDeliveries) hit its
   * scan budget: the page may hold fewer than `count` entries, yet `next` continues the scan.
   */
  scanLimited: boolean;
}

export interface IdleBucket {
  label: string;
  fromMs: number;
  /** Exclusive upper bound; null for the last bucket ("over 2 h"). */
  toMs: number | null;
  count: number;
}

/** `GET .../groups/{group}/idle-histogram` */
export interface IdleHistogramResponse {
  buckets: IdleBucket[];
  /** True when every pending entry was counted; false: an estimate scaled from a sample. */
  exact: boolean;
  /** How many pending entries were actually read (equals `total` when exact). */
  sampled: number;
  /** PEL size at the time of the read. */
  total: number;
  stuckAfterMs: number;
  perConsumer: { name: string; pending: number }[];
}

// ---------------------------------------------------------------------------------------------
// Actions: POST .../groups/{group}/{ack|claim|requeue|dead-letter|delete}
// ---------------------------------------------------------------------------------------------

export const pendingFilterSchema = z.strictObject({
  consumer: nameSchema.optional(),
  minIdleMs: nonNegInt.optional(),
  minDeliveries: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  minId: streamIdSchema.optional(),
  maxId: streamIdSchema.optional(),
});
export type PendingFilter = z.infer<typeof pendingFilterSchema>;

const targetShape = {
  ids: z.array(streamIdSchema).min(1).max(MAX_IDS_PER_REQUEST).optional(),
  filter: pendingFilterSchema.optional(),
  /** Change nothing; answer `{dryRun: true, matched}`. */
  dryRun: z.boolean().optional(),
  /** Run as a background job: answer 202 `{job}` at once (ignored with dryRun, which answers at once anyway). */
  background: z.boolean().optional(),
  /** Background jobs only: at most this many messages a second (the job sleeps when ahead). */
  pacePerSecond: z.number().int().min(1).max(MAX_PACE_PER_SECOND).optional(),
};

const exactlyOneTarget = (b: { ids?: unknown; filter?: unknown }) => (b.ids === undefined) !== (b.filter === undefined);
const targetMessage = { message: "give exactly one of ids or filter" };
const paceOnlyInBackground = (b: { pacePerSecond?: unknown; background?: boolean }) =>
  b.pacePerSecond === undefined || b.background === true;
const paceMessage = {
  message: "pacePerSecond paces a background job: send it with background: true",
  path: ["pacePerSecond"],
};

export const ackBodySchema = z
  .strictObject(targetShape)
  .refine(exactlyOneTarget, targetMessage)
  .refine(paceOnlyInBackground, paceMessage);
export const deleteBodySchema = ackBodySchema;
export const claimBodySchema = z
  .strictObject({
    ...targetShape,
    /** Existing consumer or a new name (XCLAIM creates it). */
    consumer: nameSchema,
    /** XCLAIM min-idle: a message idle for less (a live consumer just took it) is not claimed. */
    minIdleMs: nonNegInt,
  })
  .refine(exactlyOneTarget, targetMessage)
  .refine(paceOnlyInBackground, paceMessage);
export const requeueBodySchema = z
  .strictObject({
    ...targetShape,
    /** Required on a stream read by several groups: the copy reaches every group. */
    allGroups: z.boolean().optional(),
    reason: z.string().max(500).optional(),
  })
  .refine(exactlyOneTarget, targetMessage)
  .refine(paceOnlyInBackground, paceMessage);
export const deadLetterBodySchema = z
  .strictObject({
    ...targetShape,
    /**
     * Target stream key; default: the group rule's deadLetter (`<stream>:dlq`; on a Redis Cluster
     * `{<stream>}:dlq` for a key without a hash tag, so the move stays atomic). The answer names it.
     */
    target: z.string().min(1).max(1024).optional(),
    reason: z.string().max(500).optional(),
  })
  .refine(exactlyOneTarget, targetMessage)
  .refine(paceOnlyInBackground, paceMessage);

export type AckBody = z.infer<typeof ackBodySchema>;
export type DeleteBody = z.infer<typeof deleteBodySchema>;
export type ClaimBody = z.infer<typeof claimBodySchema>;
export type RequeueBody = z.infer<typeof requeueBodySchema>;
export type DeadLetterBody = z.infer<typeof deadLetterBodySchema>;

export type ItemOutcome = "ok" | "skipped" | "deleted";

/**
 * Per-id outcome of an `{ids}` request. `ok`: done (`to` = the new id of a requeued,
 * dead-lettered or redriven copy); `skipped`: nothing done: not pending any more (or idle below
 * min-idle for claim; for redrive: no usable origin stream); `deleted`: the entry no longer
 * exists (orphaned id): ack, claim and delete removed it from the PEL, requeue and dead-letter
 * left it alone and count it in `skipped`, redrive found nothing to move.
 */
export interface ActionItem {
  id: string;
  outcome: ItemOutcome;
  to?: string;
}

export interface DryRunResponse {
  dryRun: true;
  matched: number;
}

/** Orphaned ids count in `acked` (ack removes them) and show as `deleted` in items. */
export interface AckResponse {
  acked: number;
  /** Ids that were not pending (nothing to do). */
  skipped: number;
  items?: ActionItem[];
}

export interface ClaimResponse {
  claimed: number;
  /** Orphaned ids XCLAIM dropped from the PEL. */
  deleted: number;
  /** Not pending any more or idle below minIdleMs. */
  skipped: number;
  items?: ActionItem[];
}

/**
 * How a move was done, answered on a Redis Cluster only (on a single server every move is one
 * atomic script). `atomic`: every message moved in one script with its ack (source and target in
 * one slot); false when some went in two steps (target in another slot: copy carrying its origin
 * id, then ack/delete of the original if still pending). `twoStep`: how many moved in two steps.
 */
export interface MoveAtomicity {
  atomic?: boolean;
  twoStep?: number;
}

export interface RequeueResponse extends MoveAtomicity {
  requeued: number;
  /** Orphaned or no longer pending. */
  skipped: number;
  items?: ActionItem[];
}

export interface DeadLetterResponse extends MoveAtomicity {
  moved: number;
  skipped: number;
  /** Where the messages went (the default resolved): the client invalidates this key. */
  target: string;
  items?: ActionItem[];
}

/** `deleted` counts messages acked and XDEL'd, orphans included. */
export interface DeleteResponse {
  deleted: number;
  skipped: number;
  items?: ActionItem[];
}

export type PendingAction = "ack" | "claim" | "requeue" | "dead-letter" | "delete";

// ---------------------------------------------------------------------------------------------
// Redrive: POST /api/streams/{key}/redrive (key = a dead-letter stream)
// ---------------------------------------------------------------------------------------------

export const redriveBodySchema = z.strictObject({
  ids: z.array(streamIdSchema).min(1).max(MAX_IDS_PER_REQUEST),
  dryRun: z.boolean().optional(),
});
export type RedriveBody = z.infer<typeof redriveBodySchema>;

export interface RedriveResponse extends MoveAtomicity {
  redriven: number;
  /** Missing in the dead-letter stream or without a usable `streamscope-origin-stream`. */
  skipped: number;
  items: ActionItem[];
}

/** Most dead-letter entries one `redrive-matching` request reads (XRANGE pages of at most 1000). */
export const REDRIVE_SCAN_BUDGET = 10_000;

/**
 * Which dead-lettered entries `redrive-matching` moves back: those whose origin stream is `origin`
 * and/or whose reason is `reason` (`reasonMatch: "contains"`: the reason contains it; case kept).
 * Entries without an origin stream never match.
 */
export const redriveMatchFilterSchema = z
  .strictObject({
    origin: nameSchema.optional(),
    reason: z.string().min(1).max(500).optional(),
    reasonMatch: z.enum(["exact", "contains"]).optional(),
  })
  .refine((f) => f.origin !== undefined || f.reason !== undefined, "name an origin stream, a reason or both");
export type RedriveMatchFilter = z.infer<typeof redriveMatchFilterSchema>;

/** `POST /api/streams/{key}/redrive-matching` (key = a dead-letter stream). */
export const redriveMatchingBodySchema = z.strictObject({
  filter: redriveMatchFilterSchema,
  /** The `cursor` of the previous answer: the walk continues after that id. */
  cursor: streamIdSchema.optional(),
  /** Entries read by this request, at most REDRIVE_SCAN_BUDGET (the default). */
  scanLimit: z.number().int().min(1).max(REDRIVE_SCAN_BUDGET).optional(),
  dryRun: z.boolean().optional(),
});
export type RedriveMatchingBody = z.infer<typeof redriveMatchingBodySchema>;

/**
 * `matched`: entries read that pass the filter; `redriven`: moved back to their origin (0 in a dry
 * run); `skipped`: matched but not moved (gone meanwhile, origin of another type, outside the
 * caller's streams or one of the app's keys); `scanned`: entries read. `more`: the budget ran out
 * before the end of the stream: send `cursor` back to continue (null when `more` is false).
 */
export interface RedriveMatchingResponse extends MoveAtomicity {
  dryRun?: true;
  matched: number;
  redriven: number;
  skipped: number;
  scanned: number;
  more: boolean;
  cursor: string | null;
}

// ---------------------------------------------------------------------------------------------
// Group and stream admin
// ---------------------------------------------------------------------------------------------

/** `0` = from the start, `$` = from now, or an id. */
export const groupStartIdSchema = z.union([z.literal("0"), z.literal("$"), streamIdSchema]);

/** `POST /api/streams/{key}/groups` */
export const createGroupBodySchema = z.strictObject({
  name: nameSchema,
  startId: groupStartIdSchema,
  /** Create the stream when missing (else a missing key is 404). */
  mkstream: z.boolean().optional(),
  entriesRead: nonNegInt.optional(),
});
export type CreateGroupBody = z.infer<typeof createGroupBodySchema>;
export interface CreateGroupResponse {
  created: true;
  name: string;
}

/** `DELETE .../groups/{group}`: its pending messages are dropped with it. */
export interface DeleteGroupResponse {
  deleted: true;
  pendingDropped: number;
}

/** `POST .../groups/{group}/setid` */
export const setIdBodySchema = z.strictObject({
  id: groupStartIdSchema,
  entriesRead: nonNegInt.optional(),
});
export type SetIdBody = z.infer<typeof setIdBodySchema>;
export interface SetIdResponse {
  lastDeliveredId: string;
}

/** `DELETE .../groups/{group}/consumers/{consumer}` */
export interface DeleteConsumerResponse {
  deleted: true;
  /** Pending messages the consumer owned, dropped from the PEL (not acked by anyone). */
  pendingDropped: number;
}

/** `POST /api/streams/{key}/messages` */
export const publishBodySchema = z.strictObject({
  fields: z.array(fieldPairSchema).min(1).max(1000),
});
export type PublishBody = z.infer<typeof publishBodySchema>;
export interface PublishResponse {
  id: string;
  /** True when an earlier publish with the same Idempotency-Key added this entry. */
  replayed: boolean;
}

/** The `Idempotency-Key` header of a publish: printable ASCII without spaces. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, "Idempotency-Key must be 1-255 printable ASCII characters");
