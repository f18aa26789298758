"use client";
import { Can } from "@/components/auth/can";
import { meAllows, useMe } from "@/lib/hooks/use-me";
import { useState } from "react";
import { minIdleOf, type ActionRequest } from "@/components/actions/action-request";
import { ACTIONS, ACTION_VERB, type MessageAction } from "@/components/actions/action-text";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { DEFAULT_PENDING_PAGE, type PendingEntryRow, type PendingQuery } from "@/lib/contract/pending";
import { formatNumber } from "@/lib/shared/format";
import { usePendingPage } from "@/lib/hooks/use-pending";
import { ExportButtons } from "./export-buttons";
import { describeFilter, isEmptyFilter, toActionFilter, toPendingQuery, type ExplorerFilter } from "./pending-filter";
import { PendingFilterForm } from "./pending-filter-form";
import { PendingTable } from "./pending-table";

const PAGE_SIZES = [25, 50, 100, 250, 500, 1000];

export interface PendingExplorerProps {
  streamKey: string;
  group: string;
  stuckAfterMs: number;
  consumers: readonly string[];
  filter: ExplorerFilter;
  onFilterChange: (filter: ExplorerFilter) => void;
  /** Opens the action dialog; `onDone` runs after the action succeeded. */
  onRequestAction: (request: ActionRequest, onDone?: () => void) => void;
  /** A dialog is open over the list: stop refreshing it. */
  holdStill?: boolean;
}

/**
 * The group's whole PEL, page by page (cursor paging: Next follows `next`, Previous pops the
 * cursors walked so far). Mount with `key` = the filter so paging and selection restart with it.
 */
export function PendingExplorer(props: PendingExplorerProps) {
  const { streamKey, group, filter } = props;
  const [pageSize, setPageSize] = useState(DEFAULT_PENDING_PAGE);
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const canOperate = meAllows(useMe().data, "operate");
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const firstPage = toPendingQuery(filter);
  const query: PendingQuery = {
    ...firstPage,
    start: cursors.at(-1) ?? firstPage.start,
    count: pageSize,
    ...(expanded.size > 0 ? { withFields: true } : {}),
  };
  const { data, error, isPending, isFetching, isPlaceholderData, refetch } = usePendingPage(streamKey, group, query, {
    paused: props.holdStill,
  });
  const entries = data?.entries ?? [];
  const selectedRows = entries.filter((e) => selected.has(e.id));

  function request(
    action: MessageAction,
    target: ActionRequest["target"],
    rows: readonly PendingEntryRow[],
    onDone?: () => void,
  ) {
    props.onRequestAction(
      {
        action,
        target,
        suggestedMinIdleMs: target.kind === "filter" ? (filter.minIdleMs ?? 0) : minIdleOf(rows),
      },
      onDone,
    );
  }

  function setPage(next: string[]) {
    setCursors(next);
    setSelected(new Set());
  }

  return (
    <section
      aria-labelledby="pending-explorer-title"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="pending-explorer-title" className="text-base font-semibold">
          Pending messages
        </h2>
        <ExportButtons streamKey={streamKey} group={group} filter={filter} />
      </div>
      <PendingFilterForm
        key={JSON.stringify(filter)}
        filter={filter}
        consumers={props.consumers}
        onApply={props.onFilterChange}
      />

      <Can permission="operate">
        <div className="flex flex-wrap items-center gap-2 rounded bg-slate-50 p-2 text-sm">
          <span className="text-slate-700">
            By filter ({isEmptyFilter(filter) ? "all pending messages" : describeFilter(filter)}):
          </span>
          {ACTIONS.map((a) => (
            <Button
              key={a}
              size="sm"
              variant={a === "delete" ? "danger" : "secondary"}
              onClick={() =>
                request(a, { kind: "filter", filter: toActionFilter(filter), description: describeFilter(filter) }, [])
              }
            >
              {ACTION_VERB[a]} all matching
            </Button>
          ))}
        </div>
      </Can>

      {selectedRows.length > 0 && canOperate ? (
        <div
          className="flex flex-wrap items-center gap-2 rounded border border-blue-200 bg-blue-50 p-2 text-sm"
          aria-label="Selection actions"
          role="group"
        >
          <span>{formatNumber(selectedRows.length)} selected:</span>
          {ACTIONS.map((a) => (
            <Button
              key={a}
              size="sm"
              variant={a === "delete" ? "danger" : "secondary"}
              onClick={() =>
                request(a, { kind: "ids", ids: selectedRows.map((r) => r.id) }, selectedRows, () =>
                  setSelected(new Set()),
                )
              }
            >
              {ACTION_VERB[a]} selected
            </Button>
          ))}
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      ) : null}

      {data ? (
        <p className="text-xs text-slate-600" aria-live="polite">
          {formatNumber(data.summary.count)} pending in the group
          {data.summary.minId ? ` (ids ${data.summary.minId} to ${data.summary.maxId})` : ""}. Page {cursors.length + 1}
          : {formatNumber(entries.length)} {entries.length === 1 ? "row" : "rows"}
          {isEmptyFilter(filter) ? "" : " matching the filter"}.
          {data.scanLimited ? " The server stopped this page early to stay fast; Next continues the search." : ""}
          {isFetching ? (
            <span className="ml-1 inline-flex items-center">
              <Spinner label="Refreshing" />
            </span>
          ) : null}
        </p>
      ) : null}

      {isPending ? (
        <TableSkeleton label="Loading pending messages" />
      ) : error ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState
          title={
            cursors.length
              ? "No more pending messages"
              : isEmptyFilter(filter)
                ? "Nothing pending"
                : "No pending message matches the filter"
          }
        >
          {cursors.length
            ? null
            : isEmptyFilter(filter)
              ? "Every message handed to this group has been acknowledged."
              : "Clear or widen the filter."}
        </EmptyState>
      ) : (
        <PendingTable
          streamKey={streamKey}
          entries={entries}
          stuckAfterMs={props.stuckAfterMs}
          selected={selected}
          onSelect={(next) => setSelected(new Set(next))}
          expanded={expanded}
          onExpand={(id) =>
            setExpanded((prev) => {
              const next = new Set(prev);
              if (next.has(id)) next.delete(id);
              else next.add(id);
              return next;
            })
          }
          fieldsLoading={isFetching && isPlaceholderData}
          onAction={(a, e) => request(a, { kind: "ids", ids: [e.id] }, [e])}
        />
      )}

      <nav aria-label="Pending pages" className="flex flex-wrap items-center gap-2 text-sm">
        <Button size="sm" disabled={cursors.length === 0} onClick={() => setPage(cursors.slice(0, -1))}>
          Previous page
        </Button>
        <Button
          size="sm"
          disabled={!data?.next || isPlaceholderData}
          onClick={() => data?.next && setPage([...cursors, data.next])}
        >
          Next page
        </Button>
        <label className="ml-2 text-xs text-slate-600">
          Page size{" "}
          <select
            className="rounded border border-slate-300 px-1 py-0.5"
            value={pageSize}
            onChange={(e) => {
              setPageSize(Number(e.target.value));
              setPage([]);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </section>
  );
}
