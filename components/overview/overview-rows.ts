/**
 * The overview's one scrolling body over the whole stream index, as plain data: each page of the
 * index (OVERVIEW_PAGE_ROWS keys in key order) becomes display rows once it is loaded (families
 * grouped and sorted within the page, open families followed by their retention panel and
 * members), a placeholder per key before. The virtual list is the pages' rows end to end.
 */
import type { StreamRow } from "@/lib/contract/streams";
import type { OverviewItem } from "@/lib/shared/families";
import { shapeOverview, type SortSpec } from "./overview-table";

/** A row of the virtual list; `page`: the index page it comes from. */
export type DisplayRow =
  | { kind: "item"; id: string; page: number; item: OverviewItem; open: boolean }
  | { kind: "retention"; id: string; page: number; pattern: string }
  | { kind: "member"; id: string; page: number; row: StreamRow }
  | { kind: "placeholder"; id: string; page: number; position: number };

/** A loaded page's rows, in display order. Ids carry the page: a family split by a page boundary shows twice. */
export function pageRows(items: readonly OverviewItem[], page: number, expanded: ReadonlySet<string>): DisplayRow[] {
  const out: DisplayRow[] = [];
  for (const item of items) {
    const open = item.kind === "family" && expanded.has(item.id);
    out.push({ kind: "item", id: `${page}/${item.id}`, page, item, open });
    if (item.kind !== "family" || !open) continue;
    out.push({ kind: "retention", id: `${page}/${item.id}/retention`, page, pattern: item.name });
    for (const m of item.family.members) out.push({ kind: "member", id: `${page}/${item.id}/${m.key}`, page, row: m });
  }
  return out;
}

/** Shapes one page (see shapeOverview) and flattens it (see pageRows). */
export function shapePage(
  rows: readonly StreamRow[],
  page: number,
  familyPatterns: readonly string[],
  sort: SortSpec | null,
  expanded: ReadonlySet<string>,
): DisplayRow[] {
  return pageRows(shapeOverview(rows, familyPatterns, sort), page, expanded);
}

/** How many pages of `pageSize` keys hold `total` keys. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(0, Math.ceil(total / pageSize));
}

export interface Layout {
  pageSize: number;
  /** Display rows of each page (loaded: its rows; not yet: one placeholder per key). */
  sizes: number[];
  /** Index of each page's first display row. */
  starts: number[];
  /** Display rows in all. */
  count: number;
}

/** Where each page's rows sit in the virtual list. `loaded(page)`: its row count when loaded, else undefined. */
export function layoutPages(total: number, pageSize: number, loaded: (page: number) => number | undefined): Layout {
  const pages = pageCount(total, pageSize);
  const sizes: number[] = [];
  const starts: number[] = [];
  let count = 0;
  for (let p = 0; p < pages; p++) {
    const size = loaded(p) ?? Math.min(pageSize, total - p * pageSize);
    starts.push(count);
    sizes.push(size);
    count += size;
  }
  return { pageSize, sizes, starts, count };
}

/**
 * The page holding display row `index`, and the row's place in it: the last page starting at or
 * before it (an empty page, whose keys all vanished, shares its start with the next one).
 */
export function locate(layout: Layout, index: number): { page: number; at: number } {
  let lo = 0;
  let hi = layout.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { page: lo, at: index - (layout.starts[lo] ?? 0) };
}

/** The display row at `index`: a loaded page's row, or a placeholder for the key at that place in the index. */
export function rowAt(
  layout: Layout,
  index: number,
  rowsOf: (page: number) => readonly DisplayRow[] | undefined,
): DisplayRow {
  const { page, at } = locate(layout, index);
  const rows = rowsOf(page);
  const row = rows?.[at];
  if (row) return row;
  const position = page * layout.pageSize + at;
  return { kind: "placeholder", id: `placeholder/${position}`, page, position };
}

/** The pages that display rows `first`..`last` (inclusive) fall in. */
export function pagesBetween(layout: Layout, first: number, last: number): number[] {
  if (layout.count === 0 || last < first) return [];
  const from = locate(layout, Math.max(0, first)).page;
  const to = locate(layout, Math.min(layout.count - 1, last)).page;
  const out: number[] = [];
  for (let p = from; p <= to; p++) out.push(p);
  return out;
}
