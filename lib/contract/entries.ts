/**
 * Shapes of the entries browser API, shared by the route handlers and the client hooks.
 *
 * GET /api/streams/{key}/entries?start=&end=&count=&order=asc|desc
 * GET /api/streams/{key}/search?q=&field=&start=&end=&order=&scanLimit=&count=
 *
 * Range bounds (`start`, `end`), one grammar for both endpoints:
 *   `-` / `+`            the smallest / largest id
 *   `1700000000000-3`    a full id (inclusive)
 *   `1700000000000`      an id without sequence: `ms-0` as the lower bound, `ms-<max>` as the upper
 *   `(1700000000000-3`   exclusive (what `next` holds)
 *   `time:<ms>`          jump to a time, same as the ms-only id; `time:<ISO 8601>` also works
 * `start` is where the page begins in the chosen order: with `order=asc` (default) it is the lower
 * bound (default `-`) and `end` the upper (default `+`); with `order=desc` `start` is the upper
 * bound, i.e. the highest id of the page (default `+`) and `end` the lower (default `-`).
 * Paging: pass `next` back as `start` with the same `order` and `end`; `next` is null at the end.
 * `count`: page size, default 50, at most 1000 (above: 400).
 */
import type { ListFieldPair } from "./common";

export type EntryOrder = "asc" | "desc";

export type EntryStateName = "pending" | "delivered" | "acked";

/** An entry's state for one consumer group (see lib/streams/states.ts). */
export type GroupEntryState =
  | { state: "pending"; consumer: string; idleMs: number; deliveries: number }
  | { state: "delivered" }
  | { state: "acked" };

export interface StreamEntry {
  id: string;
  /**
   * Ordered pairs; repeated names kept; non-UTF-8 values as {base64}. In lists, values over
   * FIELD_VALUE_LIMIT_BYTES come as {truncated, bytes, preview | previewBase64} and only the
   * first 100 pairs are listed (`fieldsOmitted` counts the rest); never in the single-entry answer.
   */
  fields: ListFieldPair[];
  fieldsOmitted?: number;
  /** By group name. */
  states: Record<string, GroupEntryState>;
}

export interface OrphanedPending {
  /** PEL ids within the page's id range whose entry no longer exists (XDEL, XTRIM). */
  count: number;
  ids: string[];
  /** True when the PEL scan of this range hit its bound: there may be more. */
  truncated: boolean;
}

export interface EntriesResponse {
  entries: StreamEntry[];
  /** Pass back as `start` (same order and end) for the following page; null at the end. */
  next: string | null;
  orphaned: OrphanedPending;
}

export interface EntriesQuery {
  start?: string;
  end?: string;
  count?: number;
  order?: EntryOrder;
}

/**
 * Case-insensitive substring search on text values (binary values never match), only in fields
 * named exactly `field` when given. At most `scanLimit` entries (default 1000, max 10000) are
 * read per request; the scan also stops once `count` matches (default 50, max 1000) are found.
 * `next` continues the scan ("Search further"); null when the range is exhausted.
 */
export interface SearchQuery extends EntriesQuery {
  q: string;
  field?: string;
  scanLimit?: number;
}

export interface SearchResponse {
  entries: StreamEntry[];
  scanned: number;
  next: string | null;
}

export const ENTRIES_DEFAULT_COUNT = 50;
export const ENTRIES_MAX_COUNT = 1000;
export const SEARCH_DEFAULT_SCAN = 1000;
export const SEARCH_MAX_SCAN = 10_000;
export const PAGE_SIZES = [10, 25, 50, 100, 500] as const;
