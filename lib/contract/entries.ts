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
import { z } from "zod";
import type { DataAge } from "./age";
import type { ListFieldPair } from "./common";
import { isRangeBound } from "./ids";

export const ENTRIES_DEFAULT_COUNT = 50;
export const ENTRIES_MAX_COUNT = 1000;
export const SEARCH_DEFAULT_SCAN = 1000;
export const SEARCH_MAX_SCAN = 10_000;
export const PAGE_SIZES = [10, 25, 50, 100, 500] as const;
/** Groups whose state a page shows at most: each costs one XPENDING range per page. */
export const STATE_GROUPS_MAX = 10;

const bound = z.string().max(64).refine(isRangeBound, "must be -, +, ms, ms-seq, (ms-seq or time:<ms|ISO>").optional();

const intParam = (name: string, def: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(1, `${name} must be at least 1`).max(max, `${name} is at most ${max}`))
    .optional()
    .transform((v) => v ?? def);

export const entryOrderSchema = z.enum(["asc", "desc"]);
export type EntryOrder = z.infer<typeof entryOrderSchema>;

/** `GET /api/streams/{key}/entries` query. */
export const entriesQuerySchema = z.object({
  start: bound,
  end: bound,
  count: intParam("count", ENTRIES_DEFAULT_COUNT, ENTRIES_MAX_COUNT),
  order: entryOrderSchema.default("asc"),
  /** Comma-separated group names whose state to show (at most STATE_GROUPS_MAX); default: all, or the busiest. */
  groups: z
    .string()
    .max(10_000)
    .transform((v) => [...new Set(v.split(",").filter(Boolean))])
    .pipe(z.array(z.string()).max(STATE_GROUPS_MAX, `groups: at most ${STATE_GROUPS_MAX} names`))
    .optional(),
});

/**
 * `GET /api/streams/{key}/search` query. Case-insensitive substring search on text values (binary
 * values never match), only in fields named exactly `field` when given. At most `scanLimit`
 * entries (default 1000, max 10000) are read per request; the scan also stops once `count`
 * matches (default 50, max 1000) are found. `next` continues the scan ("Search further"); null
 * when the range is exhausted.
 */
export const searchQuerySchema = entriesQuerySchema.extend({
  q: z.string().min(1, "q (the text to look for) is required").max(1000),
  field: z.string().max(1000).optional(),
  scanLimit: intParam("scanLimit", SEARCH_DEFAULT_SCAN, SEARCH_MAX_SCAN),
});

/** What the client passes (the route parses the query strings; defaults fill what is left out). */
export type EntriesQuery = Partial<z.output<typeof entriesQuerySchema>>;
export type SearchQuery = Partial<z.output<typeof searchQuerySchema>> & Pick<z.output<typeof searchQuerySchema>, "q">;

export type EntryStateName = "pending" | "delivered" | "acked";

/** An entry's state for one consumer group (see lib/shared/states.ts). */
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

/**
 * Present when the stream has more groups than a page shows states for: `shown` are the groups in
 * `states` (the ones asked for, else the STATE_GROUPS_MAX with the most pending, then lag).
 */
export interface StateGroups {
  shown: string[];
  total: number;
}

export interface EntriesResponse extends DataAge {
  entries: StreamEntry[];
  stateGroups?: StateGroups;
  /** Pass back as `start` (same order and end) for the following page; null at the end. */
  next: string | null;
  orphaned: OrphanedPending;
}

export interface SearchResponse {
  entries: StreamEntry[];
  stateGroups?: StateGroups;
  scanned: number;
  next: string | null;
}
