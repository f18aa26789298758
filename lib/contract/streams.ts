/**
 * Shapes of the stream list, stream detail and overview summary answers. Shared by the route
 * handlers and the client hooks; plain types only.
 */

/** A row of the stream list (GET /api/streams). */
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
  /** Pending messages idle longer than their group's stuck threshold (the overview tile's rule). */
  stuck: number;
  /** The bounded read ran out before every PEL was read: `stuck` is a lower bound. */
  stuckCapped: boolean;
  /** null when the key has no expiry. */
  ttlMs: number | null;
  /** MEMORY USAGE (default sampling); null when the server did not answer it. */
  memoryBytes: number | null;
  /** Time of the last entry, from its id (ms since epoch); null for an empty stream. */
  lastEntryTime: number | null;
}

export interface GroupSummary {
  name: string;
  consumerCount: number;
  pending: number;
  lastDeliveredId: string;
  /** null when the server does not know it. */
  entriesRead: number | null;
  /** An estimate; null when Redis cannot compute it. */
  lag: number | null;
}

/** `GET /api/streams/{key}`. */
export interface StreamDetail extends StreamRow {
  lastGeneratedId: string;
  /** The 7.0+ fields; null where the server lacks them. */
  entriesAdded: number | null;
  maxDeletedEntryId: string | null;
  recordedFirstEntryId: string | null;
  groups: GroupSummary[];
}

/** `GET /api/streams?match=&cursor=&count=`. `cursor` is "0" at the end. */
export interface StreamsListResponse {
  streams: StreamRow[];
  cursor: string;
}

export interface StreamsListParams {
  match?: string;
  cursor?: string;
  count?: number;
}

/** `GET /api/overview`: the summary tiles. */
export interface OverviewSummary {
  /** Streams looked at (at most `streamCap`). */
  streams: number;
  totalPending: number;
  /** Pending messages idle longer than their group's stuck threshold, counted up to `stuckCap`. */
  stuck: number;
  /** True when the stuck count stopped at the cap: show "1,000+". */
  stuckCapped: boolean;
  stuckCap: number;
  /** Age of the oldest pending message over every stream looked at; null when nothing is pending. */
  oldestPendingMs: number | null;
  /** False when more streams exist than `streamCap` (the numbers cover the first ones only). */
  complete: boolean;
  streamCap: number;
  /** Family patterns from the settings (`orders_<yyyyMMddHH>`): one matching key already makes a family. */
  familyPatterns: string[];
}
