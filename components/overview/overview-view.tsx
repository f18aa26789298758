"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { formatNumber } from "@/lib/shared/format";
import { STREAM_LIST_CAP, useOverviewSummary, useStreams } from "@/lib/hooks/use-streams";
import { filterToMatch } from "./overview-table";
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
  const match = filterToMatch(useDebounced(filter, 300));
  const refetchInterval = paused || intervalMs === 0 ? false : intervalMs;
  const list = useStreams({ match, refetchInterval });
  const summary = useOverviewSummary({ match, refetchInterval });

  return (
    <div className="space-y-4">
      <SummaryTiles summary={summary.data} match={match} />
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
        <Button onClick={() => setPaused((p) => !p)} aria-pressed={paused} disabled={intervalMs === 0}>
          {paused ? "Resume auto-refresh" : "Pause auto-refresh"}
        </Button>
        <Button
          onClick={() => {
            void list.refetch();
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
              SCAN MATCH <code className="font-mono">{match}</code>
            </>
          )}
          {paused ? " · auto-refresh paused" : ""}
          {list.dataUpdatedAt ? ` · updated ${new Date(list.dataUpdatedAt).toLocaleTimeString()}` : ""}
        </p>
      </div>

      {list.isLoading ? (
        <TableSkeleton rows={8} label="Loading streams" />
      ) : list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data && list.data.streams.length === 0 ? (
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
      ) : list.data ? (
        <>
          {list.error ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
          {list.data.truncated ? (
            <p role="note" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-800">
              Showing the first {formatNumber(STREAM_LIST_CAP)} streams SCAN found. Narrow the filter to see the others.
            </p>
          ) : null}
          <StreamsTable
            rows={list.data.streams}
            familyPatterns={summary.data?.familyPatterns ?? NO_PATTERNS}
            now={list.dataUpdatedAt}
          />
        </>
      ) : null}
    </div>
  );
}
