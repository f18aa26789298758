"use client";
import { TrendSparkline } from "@/components/history/trend-sparkline";
import { RetentionPanelRow } from "./retention-panel";
import { useStreamRates } from "@/lib/hooks/use-history";
import clsx from "clsx";
import Link from "next/link";
import { Fragment, useMemo, useState, type ReactNode } from "react";
import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
} from "@tanstack/react-table";
import type { StreamRow } from "@/lib/contract/streams";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatAgo, formatBytes, formatCapped, formatDuration, formatNumber, formatTime } from "@/lib/shared/format";
import type { RowMetrics } from "@/lib/shared/families";
import {
  highlights,
  lagText,
  nodeText,
  shapeOverview,
  SORT_COLUMNS,
  streamHref,
  type OverviewItem,
  type SortColumnId,
} from "./overview-table";

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, OverviewItem>();
// Sorting state and its toggles live in the table; the order itself comes from shapeOverview (manualSorting).
const columns = helper.columns(
  SORT_COLUMNS.map((c) =>
    helper.accessor((item) => c.value(item), { id: c.id, header: c.label, sortDescFirst: c.numeric }),
  ),
);

/**
 * One page of streams (the overview pages through the stream index, so the table never holds
 * more than a page). `now`: when the rows were fetched, for "3 min ago" (render stays pure).
 * `showNode`: a Redis Cluster, each row says its master.
 */
export function StreamsTable({
  rows,
  familyPatterns,
  now,
  showNode = false,
}: {
  rows: StreamRow[];
  familyPatterns: string[];
  now: number;
  showNode?: boolean;
}) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const current = sorting[0];
  const data = useMemo(
    () => shapeOverview(rows, familyPatterns, current ? { id: current.id as SortColumnId, desc: current.desc } : null),
    [rows, familyPatterns, current],
  );
  const table = useTable({
    features,
    columns,
    data,
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    getRowId: (item) => item.id,
    state: { sorting },
    onSortingChange: setSorting,
  });

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const visible = table.getRowModel().rows;
  const visibleKeys = useMemo(
    () =>
      visible.flatMap((r) =>
        r.original.kind === "stream"
          ? [r.original.name]
          : expanded.has(r.original.id)
            ? r.original.family.members.map((m) => m.key)
            : [],
      ),
    [visible, expanded],
  );
  const rates = useStreamRates(visibleKeys).data?.rates;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" aria-label="Streams">
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = String(header.column.columnDef.header);
                const numeric = header.column.id !== "name";
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                    className={clsx("px-3 py-2 font-medium", numeric && "text-right")}
                  >
                    <button
                      type="button"
                      aria-label={`Sort by ${label.toLowerCase()}`}
                      onClick={header.column.getToggleSortingHandler()}
                      className={clsx(
                        "inline-flex items-center gap-1 uppercase hover:text-slate-900",
                        sorted && "text-slate-900",
                      )}
                    >
                      {label}
                      <span aria-hidden>{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                    </button>
                  </th>
                );
              })}
              <th scope="col" className="px-3 py-2 font-medium">
                In / out (15 min)
              </th>
              {showNode ? (
                <th scope="col" className="px-3 py-2 font-medium">
                  Node
                </th>
              ) : null}
            </tr>
          ))}
        </thead>
        <tbody>
          {visible.map((row) => {
            const item = row.original;
            if (item.kind === "stream")
              return (
                <MetricsRow
                  key={item.id}
                  name={<StreamLink streamKey={item.name} />}
                  m={item}
                  now={now}
                  trend={<TrendSparkline rate={rates?.[item.name]} />}
                  node={showNode ? nodeText(item) : undefined}
                />
              );
            const open = expanded.has(item.id);
            return (
              <Fragment key={item.id}>
                <MetricsRow
                  family
                  name={
                    <span className="inline-flex items-center gap-2">
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-expanded={open}
                        aria-label={`${open ? "Collapse" : "Expand"} ${item.name}`}
                        onClick={() => toggle(item.id)}
                      >
                        <span aria-hidden>{open ? "▾" : "▸"}</span>
                      </Button>
                      <span className="font-mono">{item.name}</span>
                      <Badge
                        tone="info"
                        title={
                          item.family.configured ? "Family from the configuration" : "Family detected from key names"
                        }
                      >
                        {item.family.members.length} {item.family.members.length === 1 ? "stream" : "streams"}
                      </Badge>
                    </span>
                  }
                  m={item}
                  now={now}
                  node={showNode ? nodeText(item) : undefined}
                />
                {open ? (
                  <RetentionPanelRow
                    pattern={item.name}
                    colSpan={table.getAllLeafColumns().length + (showNode ? 2 : 1)}
                  />
                ) : null}
                {open
                  ? item.family.members.map((member) => (
                      <MetricsRow
                        key={`${item.id}/${member.key}`}
                        member
                        name={<StreamLink streamKey={member.key} />}
                        m={member}
                        now={now}
                        trend={<TrendSparkline rate={rates?.[member.key]} />}
                        node={showNode ? (member.node ?? "—") : undefined}
                      />
                    ))
                  : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function StreamLink({ streamKey }: { streamKey: string }) {
  return (
    // No prefetch: a table of thousands of links must not fire thousands of requests.
    <Link href={streamHref(streamKey)} prefetch={false} className="font-mono text-blue-700 hover:underline">
      {streamKey}
    </Link>
  );
}

function MetricsRow({
  name,
  m,
  now,
  family,
  member,
  trend,
  node,
}: {
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
  const cell = "px-3 py-1.5 text-right tabular-nums";
  return (
    <tr className={clsx("border-t border-slate-100", family && "bg-slate-50/60", member && "bg-blue-50/30")}>
      <th scope="row" className={clsx("px-3 py-1.5 text-left font-normal break-all", member && "pl-10")}>
        {name}
      </th>
      <td className={cell}>{formatNumber(m.length)}</td>
      <td className={cell}>{formatNumber(m.groupCount)}</td>
      <td
        className={clsx(cell, hot.pending && "font-semibold text-amber-700")}
        data-highlight={hot.pending ? "pending" : undefined}
      >
        {formatNumber(m.pending)}
      </td>
      <td
        className={clsx(cell, m.lagUnknown && "text-slate-500")}
        title="Redis's estimate of entries not yet delivered to the group furthest behind"
      >
        {lagText(m)}
      </td>
      <td
        className={clsx(cell, hot.stuck && "font-semibold text-red-700")}
        data-highlight={hot.stuck ? "stuck" : undefined}
        title={
          hot.stuck
            ? `${formatCapped(m.stuck, m.stuckCapped)} stuck: idle longer than the group's threshold`
            : "Age from the id's time; nothing idle longer than the group's threshold"
        }
      >
        {formatDuration(m.oldestPendingMs)}
      </td>
      <td className={cell}>{m.ttlMs === null ? "none" : formatDuration(m.ttlMs)}</td>
      <td className={cell}>{formatBytes(m.memoryBytes)}</td>
      <td className={cell} title={m.lastEntryTime === null ? undefined : formatTime(m.lastEntryTime)}>
        {m.lastEntryTime === null ? "—" : formatAgo(m.lastEntryTime, now)}
      </td>
      <td className={cell} title="Age of the oldest entry not yet delivered to the group furthest behind (from its id)">
        {m.lagMs === null || m.lagMs === undefined ? "—" : formatDuration(m.lagMs)}
      </td>
      <td className="px-3 py-1.5">{trend}</td>
      {node !== undefined ? <td className="px-3 py-1.5 font-mono text-xs text-slate-600">{node}</td> : null}
    </tr>
  );
}
