"use client";
import { TrendSparkline } from "@/components/history/trend-sparkline";
import { RetentionPanel } from "./retention-panel";
import { useStreamRates } from "@/lib/hooks/use-history";
import type { IndexPage } from "@/lib/hooks/use-streams";
import type { RateSummary } from "@/lib/contract/history";
import type { StreamOrder, StreamsListResponse } from "@/lib/contract/streams";
import clsx from "clsx";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode, type Ref } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  formatAgo,
  formatBytes,
  formatCapped,
  formatDuration,
  formatNumber,
  formatTime,
  memoryUnknownText,
} from "@/lib/shared/format";
import type { RowMetrics } from "@/lib/shared/families";
import {
  highlights,
  lagText,
  defaultSort,
  nextSort,
  nodeText,
  poisonHref,
  poisonOf,
  poisonOfRows,
  type PoisonAt,
  SORT_COLUMNS,
  streamHref,
  type SortColumnId,
  type SortSpec,
} from "./overview-table";
import { layoutPages, pagesBetween, rowAt, shapePage, type DisplayRow } from "./overview-rows";

/**
 * Height of every stream, family and placeholder row (px; the `h-10` of LINE): rows of one height
 * are never measured different from their estimate, so scrolling through 100,000 rows never makes
 * the virtualizer lay the list out again. Only an open family's retention panel is measured.
 */
const ROW_PX = 40;
const RETENTION_PX = 240;
/** Rows drawn above and below the visible ones. */
const OVERSCAN = 12;
/** Pages are fetched once scrolling rests this long, not for every page flown past (ms). */
const SETTLE_MS = 150;
/** Rows whose trends are asked for at once (the rates route takes up to 200 keys), from a boundary of RATE_STEP. */
const RATE_WINDOW = 200;
const RATE_STEP = 100;

type ColumnId = SortColumnId | "trend" | "node";
const WIDTH: Record<ColumnId, string> = {
  name: "min-w-[16rem] flex-1",
  length: "w-20 shrink-0",
  groupCount: "w-16 shrink-0",
  pending: "w-20 shrink-0",
  lag: "w-24 shrink-0",
  oldestPendingMs: "w-28 shrink-0",
  ttlMs: "w-20 shrink-0",
  memoryBytes: "w-20 shrink-0",
  lastEntryTime: "w-24 shrink-0",
  lagMs: "w-24 shrink-0",
  trend: "w-52 shrink-0",
  node: "w-44 shrink-0",
};
const NO_RATES: Record<string, RateSummary> = {};
const NUMERIC_IDS = SORT_COLUMNS.filter((c) => c.numeric).map((c) => c.id);

interface RowProps {
  ref: Ref<HTMLTableRowElement>;
  "data-index": number;
  "aria-rowindex": number;
  style: React.CSSProperties;
}

/**
 * The whole stream index as one scrolling table: rows are drawn only where they are on screen
 * (TanStack Virtual), and the pages they belong to are asked for through `onPagesShown` (fetched
 * by the caller, `pages` once loaded); a row not loaded yet is a placeholder. Sorting and
 * families apply within each page of `pageSize` keys; the pages follow the server's `order` (key
 * order, or problems first: then the rows keep the server's order until a column is sorted).
 * `total`: keys in the index. `showNode`: a Redis Cluster, each row says its master.
 * Row semantics stay explicit (`role`, `aria-rowcount`, `aria-rowindex`): the rows are laid out
 * with CSS grid and flex, absolutely placed.
 */
export function StreamsTable({
  scope,
  pages,
  total,
  pageSize,
  familyPatterns,
  onPagesShown,
  showNode = false,
  order = "key",
}: {
  /** What the rows are of (filter, node): a new one scrolls back to the top. */
  scope: string;
  pages: ReadonlyMap<number, IndexPage>;
  total: number;
  pageSize: number;
  familyPatterns: string[];
  onPagesShown: (pages: number[]) => void;
  showNode?: boolean;
  order?: StreamOrder;
}) {
  // A click's sort holds for the order it was made in; another order starts from its default.
  const [sortState, setSortState] = useState<{ order: StreamOrder; sort: SortSpec | null }>(() => ({
    order,
    sort: defaultSort(order),
  }));
  const sort = sortState.order === order ? sortState.sort : defaultSort(order);
  const setSort = (next: (s: SortSpec | null) => SortSpec) => setSortState({ order, sort: next(sort) });
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // Each page is shaped once per answer, sort, patterns and open families (WeakMap: old answers
  // go). One answer is one page. The layout and the row keys stay the same objects until a page,
  // the sort or an open family changes: the virtualizer measures again only then.
  const [cache] = useState(
    () =>
      new WeakMap<
        StreamsListResponse,
        { sort: SortSpec | null; patterns: string[]; expanded: Set<string>; rows: DisplayRow[] }
      >(),
  );
  const shapedPages = useMemo(() => {
    const out = new Map<number, DisplayRow[]>();
    for (const [page, entry] of pages) {
      const hit = cache.get(entry.data);
      if (hit && hit.sort === sort && hit.patterns === familyPatterns && hit.expanded === expanded) {
        out.set(page, hit.rows);
        continue;
      }
      const rows = shapePage(entry.data.streams, page, familyPatterns, sort, expanded);
      cache.set(entry.data, { sort, patterns: familyPatterns, expanded, rows });
      out.set(page, rows);
    }
    return out;
  }, [cache, pages, sort, familyPatterns, expanded]);
  const layout = useMemo(
    () => layoutPages(total, pageSize, (p) => shapedPages.get(p)?.length),
    [total, pageSize, shapedPages],
  );
  const slot = useCallback((index: number) => rowAt(layout, index, (p) => shapedPages.get(p)), [layout, shapedPages]);
  const getItemKey = useCallback((index: number) => slot(index).id, [slot]);
  const estimateSize = useCallback(
    (index: number) => (slot(index).kind === "retention" ? RETENTION_PX : ROW_PX),
    [slot],
  );

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's functions are read during render on purpose
  const virtualizer = useVirtualizer({
    count: layout.count,
    getScrollElement: () => scroller.current,
    estimateSize,
    overscan: OVERSCAN,
    getItemKey,
  });
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [scope]);
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const shownKey = pagesBetween(layout, first, last).join(",");
  useEffect(() => {
    const t = setTimeout(() => onPagesShown(shownKey === "" ? [] : shownKey.split(",").map(Number)), SETTLE_MS);
    return () => clearTimeout(t);
  }, [shownKey, onPagesShown]);

  const rows = items.map((v) => ({ v, row: slot(v.index) }));
  const rateFrom = Math.floor(first / RATE_STEP) * RATE_STEP;
  const rateKeys = useMemo(() => {
    const keys: string[] = [];
    for (let i = rateFrom; i < Math.min(layout.count, rateFrom + RATE_WINDOW); i++) {
      const row = slot(i);
      if (row.kind === "item" && row.item.kind === "stream") keys.push(row.item.name);
      else if (row.kind === "member") keys.push(row.row.key);
    }
    return keys;
  }, [rateFrom, layout.count, slot]);
  const rates = useStreamRates(rateKeys).data?.rates ?? NO_RATES;

  const columns = (showNode ? 2 : 1) + SORT_COLUMNS.length;
  return (
    <div ref={scroller} className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white">
      <table
        role="table"
        className="grid min-w-[78rem] text-sm"
        aria-label="Streams"
        aria-rowcount={layout.count + 1}
        aria-colcount={columns}
      >
        <thead
          role="rowgroup"
          className="sticky top-0 z-10 grid bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500"
        >
          <tr role="row" aria-rowindex={1} className="flex w-full">
            {SORT_COLUMNS.map((c) => {
              const sorted = sort?.id === c.id ? (sort.desc ? "desc" : "asc") : false;
              return (
                <th
                  key={c.id}
                  role="columnheader"
                  scope="col"
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                  className={clsx("px-3 py-2 font-medium", WIDTH[c.id], c.numeric && "text-right")}
                >
                  <button
                    type="button"
                    aria-label={`Sort by ${c.label.toLowerCase()}`}
                    onClick={() => setSort((s) => nextSort(s, c.id))}
                    className={clsx(
                      "inline-flex items-center gap-1 uppercase hover:text-slate-900",
                      sorted && "text-slate-900",
                    )}
                  >
                    {c.label}
                    <span aria-hidden>{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                  </button>
                </th>
              );
            })}
            <th role="columnheader" scope="col" className={clsx("px-3 py-2 font-medium", WIDTH.trend)}>
              In / out (15 min)
            </th>
            {showNode ? (
              <th role="columnheader" scope="col" className={clsx("px-3 py-2 font-medium", WIDTH.node)}>
                Node
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody role="rowgroup" className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map(({ v, row }) => {
            const rowProps: RowProps = {
              ref: virtualizer.measureElement,
              "data-index": v.index,
              "aria-rowindex": v.index + 2,
              style: { transform: `translateY(${v.start}px)` },
            };
            const now = pages.get(row.page)?.updatedAt ?? 0;
            switch (row.kind) {
              case "placeholder":
                return <PlaceholderRow key={row.id} position={row.position} showNode={showNode} rowProps={rowProps} />;
              case "retention":
                return (
                  <tr key={row.id} role="row" {...rowProps} className={clsx(ROW, "bg-blue-50/30")}>
                    <td role="cell" aria-colspan={columns} className="w-full px-3 py-2 pl-10">
                      <RetentionPanel pattern={row.pattern} />
                    </td>
                  </tr>
                );
              case "member":
                return (
                  <MetricsRow
                    key={row.id}
                    rowProps={rowProps}
                    member
                    name={<StreamName streamKey={row.row.key} poison={poisonOfRows([row.row])} />}
                    m={row.row}
                    now={now}
                    trend={<Trend rate={rates[row.row.key]} />}
                    node={showNode ? (row.row.node ?? "—") : undefined}
                  />
                );
              case "item": {
                const item = row.item;
                if (item.kind === "stream")
                  return (
                    <MetricsRow
                      key={row.id}
                      rowProps={rowProps}
                      name={<StreamName streamKey={item.name} poison={poisonOf(item)} />}
                      m={item}
                      now={now}
                      trend={<Trend rate={rates[item.name]} />}
                      node={showNode ? nodeText(item) : undefined}
                    />
                  );
                const poison = poisonOf(item);
                return (
                  <MetricsRow
                    key={row.id}
                    rowProps={rowProps}
                    family
                    name={
                      <span className="flex min-w-0 items-center gap-2">
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-expanded={row.open}
                          aria-label={`${row.open ? "Collapse" : "Expand"} ${item.name}`}
                          onClick={() => toggle(item.id)}
                        >
                          <span aria-hidden>{row.open ? "▾" : "▸"}</span>
                        </Button>
                        <span className="min-w-0 truncate font-mono" title={item.name}>
                          {item.name}
                        </span>
                        <Badge
                          tone="info"
                          title={
                            item.family.configured ? "Family from the configuration" : "Family detected from key names"
                          }
                        >
                          {item.family.members.length} {item.family.members.length === 1 ? "stream" : "streams"}
                        </Badge>
                        {poison ? <PoisonMark {...poison} /> : null}
                      </span>
                    }
                    m={item}
                    now={now}
                    node={showNode ? nodeText(item) : undefined}
                  />
                );
              }
            }
          })}
        </tbody>
      </table>
    </div>
  );
}

const ROW = "absolute left-0 top-0 flex w-full border-t border-slate-100";
/** A row of fixed height (ROW_PX), its text on one line. */
const LINE = clsx(ROW, "h-10 items-center overflow-hidden whitespace-nowrap");

function Trend({ rate }: { rate: RateSummary | undefined }) {
  return <TrendSparkline rate={rate} />;
}

function StreamName({ streamKey, poison }: { streamKey: string; poison: PoisonAt | null }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      {/* No prefetch: a table of thousands of links must not fire thousands of requests. */}
      <Link
        href={streamHref(streamKey)}
        prefetch={false}
        title={streamKey}
        className="min-w-0 truncate font-mono text-blue-700 hover:underline"
      >
        {streamKey}
      </Link>
      {poison ? <PoisonMark {...poison} /> : null}
    </span>
  );
}

/** A message of the group was delivered more often than the `poison` alert rule allows: to the group's radar. */
function PoisonMark({ stream, group, deliveries }: PoisonAt) {
  const text = `Poison: a message of group ${group} was delivered ${formatNumber(deliveries)} times`;
  return (
    <Link
      href={poisonHref(stream, group)}
      prefetch={false}
      aria-label={text}
      title={text}
      data-poison={deliveries}
      className="shrink-0 no-underline"
    >
      <Badge tone="bad">poison ×{formatNumber(deliveries)}</Badge>
    </Link>
  );
}

function PlaceholderRow({ position, showNode, rowProps }: { position: number; showNode: boolean; rowProps: RowProps }) {
  const bar = "inline-block h-3 animate-pulse rounded bg-slate-200";
  return (
    <tr role="row" {...rowProps} className={LINE} data-placeholder="">
      <th role="rowheader" scope="row" className={clsx("px-3 text-left font-normal", WIDTH.name)}>
        <span className="sr-only">Loading row {formatNumber(position + 1)}</span>
        <span aria-hidden className={clsx(bar, "w-48")} />
      </th>
      {NUMERIC_IDS.map((id) => (
        <td key={id} role="cell" className={clsx("px-3 text-right", WIDTH[id])}>
          <span aria-hidden className={clsx(bar, "w-8 bg-slate-100")} />
        </td>
      ))}
      <td role="cell" className={clsx("px-3", WIDTH.trend)} />
      {showNode ? <td role="cell" className={clsx("px-3", WIDTH.node)} /> : null}
    </tr>
  );
}

function MetricsRow({
  rowProps,
  name,
  m,
  now,
  family,
  member,
  trend,
  node,
}: {
  rowProps: RowProps;
  name: ReactNode;
  m: RowMetrics;
  now: number;
  family?: boolean;
  member?: boolean;
  trend?: ReactNode;
  /** Redis Cluster: the master's address (a family: its one master, or how many). */
  node?: string;
}) {
  const hot = highlights(m);
  const cell = "px-3 text-right tabular-nums";
  return (
    <tr role="row" {...rowProps} className={clsx(LINE, family && "bg-slate-50", member && "bg-blue-50/30")}>
      <th
        role="rowheader"
        scope="row"
        className={clsx("overflow-hidden px-3 text-left font-normal", WIDTH.name, member && "pl-10")}
      >
        {name}
      </th>
      <td role="cell" className={clsx(cell, WIDTH.length)}>
        {formatNumber(m.length)}
      </td>
      <td role="cell" className={clsx(cell, WIDTH.groupCount)}>
        {formatNumber(m.groupCount)}
      </td>
      <td
        role="cell"
        className={clsx(cell, WIDTH.pending, hot.pending && "font-semibold text-amber-700")}
        data-highlight={hot.pending ? "pending" : undefined}
      >
        {formatNumber(m.pending)}
      </td>
      <td
        role="cell"
        className={clsx(cell, WIDTH.lag, m.lagUnknown && "text-slate-500")}
        title="Redis's estimate of entries not yet delivered to the group furthest behind"
      >
        {lagText(m)}
      </td>
      <td
        role="cell"
        className={clsx(cell, WIDTH.oldestPendingMs, hot.stuck && "font-semibold text-red-700")}
        data-highlight={hot.stuck ? "stuck" : undefined}
        title={
          hot.stuck
            ? `${formatCapped(m.stuck, m.stuckCapped)} stuck: idle longer than the group's threshold`
            : "Age from the id's time; nothing idle longer than the group's threshold"
        }
      >
        {formatDuration(m.oldestPendingMs)}
      </td>
      <td role="cell" className={clsx(cell, WIDTH.ttlMs)}>
        {m.ttlMs === null ? "none" : formatDuration(m.ttlMs)}
      </td>
      <td role="cell" className={clsx(cell, WIDTH.memoryBytes)} title={memoryUnknownText(m.memoryUnknown)}>
        {formatBytes(m.memoryBytes)}
      </td>
      <td
        role="cell"
        className={clsx(cell, WIDTH.lastEntryTime)}
        title={m.lastEntryTime === null ? undefined : formatTime(m.lastEntryTime)}
      >
        {m.lastEntryTime === null ? "—" : formatAgo(m.lastEntryTime, now)}
      </td>
      <td
        role="cell"
        className={clsx(cell, WIDTH.lagMs)}
        title="Age of the oldest entry not yet delivered to the group furthest behind (from its id)"
      >
        {m.lagMs === null || m.lagMs === undefined ? "—" : formatDuration(m.lagMs)}
      </td>
      <td role="cell" className={clsx("overflow-hidden px-3", WIDTH.trend)}>
        {trend}
      </td>
      {node !== undefined ? (
        <td role="cell" className={clsx("truncate px-3 font-mono text-xs text-slate-600", WIDTH.node)}>
          {node}
        </td>
      ) : null}
    </tr>
  );
}
