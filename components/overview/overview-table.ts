/**
 * Pure shaping of the overview table: rows to family/stream items, the sortable columns and
 * their order (missing values last in either direction), highlights and the lag's wording.
 */
import type { StreamOrder, StreamRow, StreamsIndexInfo } from "@/lib/contract/streams";
import { groupFamilies, type OverviewItem } from "@/lib/shared/families";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { encodeSegment } from "@/lib/contract/segment";

export type { OverviewItem };

export type SortColumnId =
  | "name"
  | "length"
  | "groupCount"
  | "pending"
  | "lag"
  | "oldestPendingMs"
  | "ttlMs"
  | "memoryBytes"
  | "lastEntryTime"
  | "lagMs";

export interface SortColumn {
  id: SortColumnId;
  label: string;
  /** The value sorted on; undefined sorts last whatever the direction. */
  value: (item: OverviewItem) => string | number | undefined;
  numeric: boolean;
}

const n = (v: number | null) => (v === null ? undefined : v);

export const SORT_COLUMNS: readonly SortColumn[] = [
  { id: "name", label: "Key", value: (i) => i.name, numeric: false },
  { id: "length", label: "Length", value: (i) => i.length, numeric: true },
  { id: "groupCount", label: "Groups", value: (i) => i.groupCount, numeric: true },
  { id: "pending", label: "Pending", value: (i) => i.pending, numeric: true },
  { id: "lag", label: "Lag", value: (i) => n(i.lag), numeric: true },
  { id: "oldestPendingMs", label: "Oldest pending (age of id)", value: (i) => n(i.oldestPendingMs), numeric: true },
  { id: "ttlMs", label: "TTL", value: (i) => n(i.ttlMs), numeric: true },
  { id: "memoryBytes", label: "Memory", value: (i) => n(i.memoryBytes), numeric: true },
  { id: "lastEntryTime", label: "Last entry", value: (i) => n(i.lastEntryTime), numeric: true },
  { id: "lagMs", label: "Lag (time)", value: (i) => n(i.lagMs ?? null), numeric: true },
];

export function sortColumn(id: string): SortColumn | undefined {
  return SORT_COLUMNS.find((c) => c.id === id);
}

/** Ascending comparison of two present values (numbers numerically, text by code points). */
export function compareValues(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface SortSpec {
  id: SortColumnId;
  desc: boolean;
}

/** Sorts items like the table does: by the column, missing values last, ties by name. Stable. */
export function sortItems(items: readonly OverviewItem[], sort: SortSpec | null): OverviewItem[] {
  const col = sort ? sortColumn(sort.id) : undefined;
  if (!col || !sort) return [...items];
  return [...items].sort((a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    if (va === undefined || vb === undefined) {
      if (va === vb) return compareValues(a.name, b.name);
      return va === undefined ? 1 : -1;
    }
    const c = compareValues(va, vb);
    if (c !== 0) return sort.desc ? -c : c;
    return compareValues(a.name, b.name);
  });
}

/** Rows to table items: families grouped (see lib/shared/families.ts), then sorted. */
export function shapeOverview(
  rows: readonly StreamRow[],
  familyPatterns: readonly string[],
  sort: SortSpec | null,
): OverviewItem[] {
  return sortItems(groupFamilies(rows, familyPatterns), sort);
}

/**
 * Pending is amber; red only where the stuck tile's rule finds something: a message idle longer
 * than its group's threshold (the row's `stuck`). The oldest pending age comes from the id's time
 * and says nothing about whether a consumer is still working on it.
 */
export function highlights(m: { pending: number; stuck: number }): { pending: boolean; stuck: boolean } {
  return { pending: m.pending > 0, stuck: m.stuck > 0 };
}

/** Lag is Redis's estimate: "≈N"; "unknown" when no group's lag is known; "—" without groups. */
export function lagText(m: { lag: number | null; lagUnknown: boolean; groupCount: number }): string {
  if (m.lag === null) return m.lagUnknown ? "unknown" : "—";
  return m.lagUnknown ? `≈${formatNumber(m.lag)} (some unknown)` : `≈${formatNumber(m.lag)}`;
}

/** A filter as typed to a SCAN MATCH glob: globs pass through, plain text matches anywhere. */
export function filterToMatch(text: string): string {
  const t = text.trim();
  if (t === "") return "*";
  if (/[*?[]/.test(t)) return t;
  return `*${t.replace(/[\\\]]/g, "\\$&")}*`;
}

export function streamHref(key: string): string {
  return `/streams/${encodeSegment(key)}`;
}

/** Rows per request of the overview table (one page of the stream index; fetched as it scrolls into view). */
export const OVERVIEW_PAGE_ROWS = 200;

const BY_NAME: SortSpec = { id: "name", desc: false };

/**
 * The table's sort before any click: by name in key order; none in problems order, so that each
 * block keeps the server's order (the worst stream on top).
 */
export function defaultSort(order: StreamOrder): SortSpec | null {
  return order === "problems" ? null : BY_NAME;
}

/** What the overview says of the blocks of rows, in the order the server applied. */
export function blocksText(order: StreamOrder, pageRows: number): string {
  return order === "problems"
    ? `Rows come problems first (stuck, then pending, then by key) in blocks of ${pageRows}; column sorting and families apply within each block.`
    : `Rows follow key order in blocks of ${pageRows}; sorting and families apply within each block.`;
}

/**
 * The line under "Problems first" once a page answered: the snapshot's age when the order was
 * applied (`asOf`: when the answer was read), else why the rows follow key order.
 */
export function problemsOrderText(
  index: Pick<StreamsIndexInfo, "order" | "orderFallback" | "orderPartial">,
  stuckAsOf: number | undefined,
  asOf: number,
): string {
  if (index.order === "problems") {
    const age = stuckAsOf === undefined ? null : Math.max(0, asOf - stuckAsOf);
    const head =
      age === null
        ? "Problems first"
        : `Problems first: problems as of ${age < 60_000 ? `${Math.round(age / 1000)} s` : formatDuration(age)} ago`;
    const partial = index.orderPartial;
    if (!partial) return head;
    const left = [
      ...(partial.groupsLeftOut > 0
        ? [
            `${formatNumber(partial.groupsLeftOut)} ${partial.groupsLeftOut === 1 ? "group" : "groups"} with pending messages`,
          ]
        : []),
      ...(partial.streamsLeftOut ? ["the streams past the cap of its walk"] : []),
    ].join(" and ");
    return `${head}. The snapshot leaves out ${left}: those streams follow in key order even when stuck`;
  }
  return index.orderFallback === "stale"
    ? "Problems first needs a recent stuck snapshot from the worker, and the last one is too old (worker behind or stopped): showing key order"
    : "Problems first needs the worker's stuck snapshot, and none is kept (worker off or not run yet): showing key order";
}

/** The progress line while the index's first pass runs; null once it has ended. */
export function discoveryText(index: Pick<StreamsIndexInfo, "discovering" | "scanned" | "about">): string | null {
  if (!index.discovering) return null;
  return `Still discovering: ${formatNumber(index.scanned)} keys scanned of about ${formatNumber(index.about)}`;
}

/** "12,345 streams" ("at least" while discovering; "No streams" for an empty list). */
export function countText(index: Pick<StreamsIndexInfo, "total" | "exact">): string {
  if (index.total === 0) return index.exact ? "No streams" : "No streams found yet";
  const n = `${formatNumber(index.total)} ${index.total === 1 ? "stream" : "streams"}`;
  return index.exact ? n : `At least ${n}`;
}

/**
 * A click on a column's sort button: the other direction of the same column, else the column's
 * first direction (`current` null: the server's order, unsorted).
 */
export function nextSort(current: SortSpec | null, id: SortColumnId): SortSpec {
  if (current?.id === id) return { id, desc: !current.desc };
  return { id, desc: sortColumn(id)?.numeric ?? false };
}

/** Where a poison mark leads: the group page, at its poison radar. */
export function poisonHref(key: string, group: string): string {
  return `${streamHref(key)}/groups/${encodeSegment(group)}#poison-radar-title`;
}

export interface PoisonAt {
  stream: string;
  group: string;
  deliveries: number;
}

/** The poison mark among rows: the one with the most deliveries; null when no row has one. */
export function poisonOfRows(rows: readonly StreamRow[]): PoisonAt | null {
  let out: PoisonAt | null = null;
  for (const r of rows)
    if (r.poison && (!out || r.poison.deliveries > out.deliveries)) out = { stream: r.key, ...r.poison };
  return out;
}

/** The poison mark of a table item: the stream's, or for a family the member's with the most deliveries. */
export function poisonOf(item: OverviewItem): PoisonAt | null {
  return poisonOfRows(item.kind === "stream" ? [item.row] : item.family.members);
}

/** The node cell of a table item: the stream's master, or for a family its one master or how many. */
export function nodeText(item: OverviewItem): string {
  const nodes = item.kind === "stream" ? [item.row.node] : item.family.members.map((m) => m.node);
  const known = [...new Set(nodes.filter((n): n is string => !!n))];
  if (known.length === 0) return "—";
  return known.length === 1 ? known[0]! : `${known.length} nodes`;
}
