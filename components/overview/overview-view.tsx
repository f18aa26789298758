"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useOverviewSummary, useStreamIndexPages } from "@/lib/hooks/use-streams";
import {
  blocksText,
  countText,
  discoveryText,
  filterToMatch,
  OVERVIEW_PAGE_ROWS,
  problemsOrderText,
} from "./overview-table";
import { StreamsTable } from "./streams-table";
import { SummaryTiles } from "./summary-tiles";

const INTERVALS = [
  { label: "Off", ms: 0 },
  { label: "2 s", ms: 2000 },
  { label: "5 s", ms: 5000 },
  { label: "10 s", ms: 10_000 },
  { label: "30 s", ms: 30_000 },
] as const;

const NO_PATTERNS: string[] = [];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function OverviewView() {
  const [filter, setFilter] = useState("");
  const [intervalMs, setIntervalMs] = useState(5000);
  const [paused, setPaused] = useState(false);
  const [node, setNode] = useState("");
  const [problemsFirst, setProblemsFirst] = useState(false);
  const order = problemsFirst ? "problems" : "key";
  const match = filterToMatch(useDebounced(filter, 300));
  const refetchInterval = paused || intervalMs === 0 ? false : intervalMs;
  const list = useStreamIndexPages({ match, node, order, pageSize: OVERVIEW_PAGE_ROWS, refetchInterval });
  const summary = useOverviewSummary({ match, node, refetchInterval });
  const index = list.index;
  const nodes = index?.nodes;
  const progress = index ? discoveryText(index) : null;
  const firstPage = list.pages.get(0)?.data.streams;
  const firstAnswer = list.pages.get(0)?.data;
  // The order the rows on screen follow (a previous scope's pages keep theirs until the new one answers).
  const shownOrder = index?.order ?? "key";

  return (
    <div className="space-y-4">
      <SummaryTiles summary={summary.data} match={match} index={list.previous ? undefined : index} />
      {summary.error ? <ErrorState error={summary.error} onRetry={() => void summary.refetch()} /> : null}

      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Filter streams
          <input
            type="search"
            data-shortcut="filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="orders_* or any text"
            className="mt-1 w-72 rounded border border-slate-300 px-2 py-1.5 font-mono text-sm text-slate-900"
          />
        </label>
        <label className="flex flex-col text-xs font-medium text-slate-600">
          Refresh interval
          <select
            value={intervalMs}
            onChange={(e) => setIntervalMs(Number(e.target.value))}
            className="mt-1 rounded border border-slate-300 px-2 py-1.5 text-sm text-slate-900"
          >
            {INTERVALS.map((i) => (
              <option key={i.ms} value={i.ms}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        {nodes ? (
          <label className="flex flex-col text-xs font-medium text-slate-600">
            Node
            <select
              value={node}
              onChange={(e) => setNode(e.target.value)}
              className="mt-1 rounded border border-slate-300 px-2 py-1.5 font-mono text-sm text-slate-900"
            >
              <option value="">All nodes</option>
              {(node && !nodes.includes(node) ? [...nodes, node] : nodes).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <Button
          onClick={() => setProblemsFirst((p) => !p)}
          aria-pressed={problemsFirst}
          title="Streams with stuck messages first, then those with pending messages, across the whole list"
        >
          Problems first
        </Button>
        <Button onClick={() => setPaused((p) => !p)} aria-pressed={paused} disabled={intervalMs === 0}>
          {paused ? "Resume auto-refresh" : "Pause auto-refresh"}
        </Button>
        <Button
          onClick={() => {
            list.refetch();
            void summary.refetch();
          }}
          loading={list.isFetching && !list.isLoading}
        >
          Refresh now
        </Button>
        <p className="text-xs text-slate-500" aria-live="polite">
          {match === "*" ? (
            "All streams"
          ) : (
            <>
              Keys matching <code className="font-mono">{match}</code>
            </>
          )}
          {paused ? " · auto-refresh paused" : ""}
          {list.updatedAt ? ` · updated ${new Date(list.updatedAt).toLocaleTimeString()}` : ""}
        </p>
      </div>

      {problemsFirst && index && !list.previous ? (
        <p
          role="status"
          className={
            index.order === "problems"
              ? "text-xs text-slate-500"
              : "rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          }
        >
          {problemsOrderText(index, firstAnswer?.stuckAsOf, firstAnswer?.asOf ?? list.updatedAt)}
        </p>
      ) : null}

      {progress ? (
        <p role="status" className="rounded border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          {progress}. The list grows as keys are found; the total is exact once the first pass ends.
        </p>
      ) : null}

      {list.isLoading ? (
        <TableSkeleton rows={8} label="Loading streams" />
      ) : list.error && !index ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : index && index.total === 0 && progress ? (
        <p className="text-sm text-slate-600">No streams found yet.</p>
      ) : index && index.total === 0 && (firstPage?.length ?? 0) === 0 ? (
        <EmptyState title="No streams found">
          {match === "*" ? (
            <p className="mt-1">
              Redis has no keys of type stream yet. Add one with <code className="font-mono">XADD</code>, or run{" "}
              <code className="font-mono">npm run demo</code>.
            </p>
          ) : (
            <p className="mt-1">
              Nothing matches <code className="font-mono">{match}</code>. Clear the filter or try a wider glob such as{" "}
              <code className="font-mono">orders*</code>.
            </p>
          )}
        </EmptyState>
      ) : index ? (
        <>
          {list.error ? <ErrorState error={list.error} onRetry={() => list.refetch()} /> : null}
          <p className="flex flex-wrap items-baseline gap-3 text-sm text-slate-600">
            <span aria-live="polite">{countText(index)}</span>
            {index.total > OVERVIEW_PAGE_ROWS ? (
              <span className="text-xs text-slate-500">{blocksText(shownOrder, OVERVIEW_PAGE_ROWS)}</span>
            ) : null}
          </p>
          <StreamsTable
            scope={`${match}\n${node}\n${shownOrder}`}
            order={shownOrder}
            pages={list.pages}
            total={index.total}
            pageSize={OVERVIEW_PAGE_ROWS}
            familyPatterns={summary.data?.familyPatterns ?? NO_PATTERNS}
            onPagesShown={list.show}
            showNode={nodes !== undefined}
          />
        </>
      ) : null}
    </div>
  );
}
