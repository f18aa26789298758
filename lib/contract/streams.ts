/**
 * The stream list, stream detail and overview summary: query schemas and answers. Shared by the
 * route handlers and the client hooks.
 */
import { z } from "zod";
import type { DataAge } from "./age";

export const MAX_LIST_COUNT = 10_000;
const U64_MAX = (1n << 64n) - 1n;

export const globSchema = z.string().min(1).max(1024).default("*");

/** A SCAN cursor, or on a Redis Cluster `<masters>-<node>-<SCAN cursor>` (opaque: pass back what was answered). */
export const scanCursorSchema = z
  .string()
  .refine((v) => {
    const scan = /^(?:[0-9a-f]{8}-\d{1,5}-)?(\d{1,20})$/.exec(v)?.[1];
    return scan !== undefined && BigInt(scan) <= U64_MAX;
  }, "must be a SCAN cursor (an unsigned 64-bit number)")
  .default("0");

/** Counts above the cap are refused (400), not clamped, so a caller learns its page size is not honoured. */
export const listCountSchema = z
  .string()
  .regex(/^\d+$/, "must be a whole number")
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_LIST_COUNT, `must be at most ${MAX_LIST_COUNT}`))
  .default(1000);

export const streamsListQuerySchema = z.object({ match: globSchema, cursor: scanCursorSchema, count: listCountSchema });

/** Rows per page of the stream index (`GET /api/streams?offset=`): a page's rows are read live, so the page is small. */
export const MAX_INDEX_PAGE = 1000;
export const DEFAULT_INDEX_PAGE = 200;

/**
 * Orders of the stream index: `key` (by key, code unit order) or `problems` (streams with stuck
 * messages first, most stuck first; then streams with pending messages, oldest pending first; then
 * the rest by key), from the worker's kept stuck snapshot.
 */
export const STREAM_ORDERS = ["key", "problems"] as const;
export type StreamOrder = (typeof STREAM_ORDERS)[number];

/**
 * Why `order=problems` was answered in key order: no stuck snapshot is kept (`missing`: the worker
 * is off or has not run yet) or the kept one is too old to use (`stale`: the worker is behind or stopped).
 */
export type StreamOrderFallback = "missing" | "stale";

/**
 * `GET /api/streams?offset=&count=&match=&node=&order=`: a page of the stream index, in key order
 * or problems first (`order`). `offset` selects this form; without it the route answers one SCAN
 * page (`cursor`).
 */
export const streamsPageQuerySchema = z.object({
  match: globSchema,
  offset: z
    .string()
    .regex(/^\d{1,9}$/, "must be a whole number")
    .transform(Number),
  count: z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_INDEX_PAGE, `must be at most ${MAX_INDEX_PAGE}`))
    .default(DEFAULT_INDEX_PAGE),
  /** Redis Cluster: only the streams of this master (`host:port`). */
  node: z.string().min(1).max(300).optional(),
  order: z.enum(STREAM_ORDERS).default("key"),
});

/** What the client passes for a page of the stream index. */
export type StreamsPageParams = { match?: string; offset: number; count?: number; node?: string; order?: StreamOrder };

/** `GET /api/overview?match=&node=`: `node` (Redis Cluster) sums one master's streams only. */
export const overviewQuerySchema = z.object({ match: globSchema, node: z.string().min(1).max(300).optional() });

/** What the client passes to `GET /api/streams` (the route parses the query strings). */
export type StreamsListParams = Partial<z.output<typeof streamsListQuerySchema>>;

/** A row of the stream list. */
export interface StreamRow {
  key: string;
  length: number;
  firstEntryId: string | null;
  lastEntryId: string | null;
  groupCount: number;
  /** Sum of the groups' pending counts. */
  pending: number;
  /** Largest known lag over the groups; null when no group's lag is known. */
  lag: number | null;
  /** True when at least one group's lag cannot be computed by Redis. */
  lagUnknown: boolean;
  /** Age of the oldest pending message (from its id's time) over all groups; null when nothing is pending. */
  oldestPendingMs: number | null;
  /**
   * Lag in time of the group furthest behind: the age (from its id) of its oldest entry not yet
   * delivered; 0 when every group has been handed every entry, null without groups.
   */
  lagMs?: number | null;
  /** Pending messages idle longer than their group's stuck threshold (the overview tile's rule). */
  stuck: number;
  /** The bounded read ran out before every PEL was read: `stuck` is a lower bound. */
  stuckCapped: boolean;
  /** null when the key has no expiry. */
  ttlMs: number | null;
  /** MEMORY USAGE (default sampling); null when unknown (`memoryUnknown` says why, when it is known). */
  memoryBytes: number | null;
  /**
   * Why `memoryBytes` is null: `consumers`, the stream's groups hold more than 10,000 consumers and
   * MEMORY USAGE would walk every one of them inside Redis; `refused`, the server refused MEMORY
   * USAGE (disabled, or not allowed to this user). Absent when the memory is known.
   */
  memoryUnknown?: MemoryUnknown;
  /** Time of the last entry, from its id (ms since epoch); null for an empty stream. */
  lastEntryTime: number | null;
  /** Redis Cluster only: the master that holds the key (`host:port`). */
  node?: string;
  /**
   * A group of the stream holds a pending message delivered more times than the `poison` alert
   * rule allows: the firing `poison` alert with the most deliveries. Absent when none fires.
   */
  poison?: PoisonMark;
}

export type MemoryUnknown = "consumers" | "refused";

/** The group whose pending message was delivered most often, and that count. */
export interface PoisonMark {
  group: string;
  deliveries: number;
}

/** A consumer group as XINFO GROUPS describes it: the one group shape the others build on. */
export interface ConsumerGroup {
  name: string;
  consumerCount: number;
  pending: number;
  lastDeliveredId: string;
  /** null when the server does not know it (before 7.0). */
  entriesRead: number | null;
  /** An estimate; null when Redis cannot compute it (show "unknown"). */
  lag: number | null;
}

/** A group in the stream detail. */
export type GroupSummary = ConsumerGroup;

/** `GET /api/streams/{key}`. */
export interface StreamDetail extends StreamRow, DataAge {
  lastGeneratedId: string;
  /** The 7.0+ fields; null where the server lacks them. */
  entriesAdded: number | null;
  maxDeletedEntryId: string | null;
  recordedFirstEntryId: string | null;
  /**
   * The stream's groups: all of them, or on a stream with more than 1,000 (or more than fit in
   * ANSWER_LIMIT_BYTES) those with the most pending messages, then the most lag, in Redis's order.
   */
  groups: GroupSummary[];
  /** Groups left out of `groups`; absent when it lists every group (`groupCount` counts them all). */
  groupsOmitted?: number;
}

/** `GET /api/streams?match=&cursor=&count=`. `cursor` is "0" at the end. */
export interface StreamsListResponse extends DataAge {
  streams: StreamRow[];
  cursor: string;
  /**
   * When the kept stuck snapshot the rows' stuck counts and oldest pending come from was taken;
   * absent when read live.
   */
  stuckAsOf?: number;
  /**
   * Redis Cluster: the masters changed since `cursor` was made (failover, resharding), so the walk
   * of one master started over: streams may repeat or be missed while slots move.
   */
  topologyChanged?: true;
  /** Present on a page of the stream index (`offset` given); `cursor` is then "0". */
  index?: StreamsIndexInfo;
}

/** What a stuck snapshot left out: groups with pending messages over its cap, and whether streams past its walk's cap went unlooked at. */
export interface StuckSnapshotPartial {
  groupsLeftOut: number;
  streamsLeftOut: boolean;
}

/** How far the stream index has got, and where this page sits in it. */
export interface StreamsIndexInfo {
  offset: number;
  count: number;
  /**
   * The page stopped before `count` rows to stay under ANSWER_LIMIT_BYTES (long keys): the offset
   * its rest starts at. Absent when the answer holds every row asked for.
   */
  next?: number;
  /** The order the pages follow: `problems` only when asked for and a fresh stuck snapshot is kept (`stuckAsOf`). */
  order: StreamOrder;
  /** `problems` was asked for but the pages follow key order: why. */
  orderFallback?: StreamOrderFallback;
  /**
   * `problems` applied from a stuck snapshot that holds only part of the groups: how many groups
   * with pending messages it left out, and whether streams past its walk's cap were not looked at.
   * Those streams sort with the rest (by key) even when they have stuck messages.
   */
  orderPartial?: StuckSnapshotPartial;
  /** Streams under `match` (and `node`, and the caller's scope) that the index holds now. */
  total: number;
  /** True once a full pass of the key space has ended: `total` is exact as of `lastPassAt` (plus notifications). */
  exact: boolean;
  /** True until the first full pass ends: "still discovering: `scanned` keys scanned of about `about`". */
  discovering: boolean;
  /** Keys of every type walked by the running pass (an estimate from SCAN's COUNT). */
  scanned: number;
  /** DBSIZE summed over the masters. */
  about: number;
  /** When the last full pass ended (ms since the epoch); null before the first. */
  lastPassAt: number | null;
  lastPassMs: number | null;
  /** Keyspace notifications are followed: new and deleted streams show between passes. */
  notifications: boolean;
  /** Redis Cluster only: the masters the index found streams on (the node filter's choices). */
  nodes?: string[];
}

/** `GET /api/overview`: the summary tiles. */
export interface OverviewSummary extends DataAge {
  /** Streams looked at (at most `streamCap`, or the ones with a reading when `rolling`). */
  streams: number;
  totalPending: number;
  /** Pending messages idle longer than their group's stuck threshold, counted up to `stuckCap`. */
  stuck: number;
  /** True when the stuck count stopped at the cap: show "1,000+". */
  stuckCapped: boolean;
  stuckCap: number;
  /** Age of the oldest pending message over every stream looked at; null when nothing is pending. */
  oldestPendingMs: number | null;
  /**
   * When the kept stuck snapshot that `stuck` and `oldestPendingMs` come from was taken (ms since
   * the epoch); absent when they were read live for this answer.
   */
  stuckAsOf?: number;
  /** False when the numbers leave streams out: past `streamCap` (the first ones only), or not yet read in turn (`rolling`). */
  complete: boolean;
  /** The stream index's first pass is still running: the numbers cover the streams found so far. */
  discovering?: true;
  streamCap: number;
  /**
   * Past `streamCap` streams: each answer reads the next `streamCap` in turn and the numbers sum
   * every stream as last read. `read`: streams with a reading (also in `streams`); `since`: when the
   * oldest of those readings was taken (ms since the epoch). `complete` once every one was read.
   */
  rolling?: { read: number; since: number };
  /** Family patterns from the settings (`orders_<yyyyMMddHH>`): one matching key already makes a family. */
  familyPatterns: string[];
}
