"use client";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import type { SearchQuery } from "@/lib/contract/entries";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState } from "@/components/ui/states";
import { useEntrySearch } from "@/lib/hooks/use-entries";
import { formatNumber } from "@/lib/shared/format";
import { isValidId } from "@/lib/contract/ids";
import { EntriesTable } from "./entry-row";

const input = "rounded border border-slate-300 px-1 py-0.5 text-sm";

/** Bounded search by field value: each request scans at most 1,000 entries; "Search further" continues. */
export function SearchPanel({ streamKey, groups }: { streamKey: string; groups: string[] }) {
  const [field, setField] = useState("");
  const [value, setValue] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [query, setQuery] = useState<SearchQuery | null>(null);
  const search = useEntrySearch(streamKey, query);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!value) return void toast.error("Enter a value to search for");
    for (const id of [from, to]) if (id && !isValidId(id.trim())) return void toast.error(`"${id}" is not a stream id`);
    setQuery({
      q: value,
      field: field || undefined,
      start: to.trim() || undefined,
      end: from.trim() || undefined,
      order: "desc",
    });
  }

  const pages = search.data?.pages ?? [];
  const matches = pages.flatMap((p) => p.entries);
  const scanned = pages.reduce((n, p) => n + p.scanned, 0);

  return (
    <section aria-labelledby="search-heading" className="space-y-3">
      <h2 id="search-heading" className="text-lg font-semibold">
        Search by field value
      </h2>
      <form
        onSubmit={onSubmit}
        className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm"
      >
        <label className="flex flex-col text-xs text-slate-600">
          Field (optional)
          <input className={input} value={field} onChange={(e) => setField(e.target.value)} />
        </label>
        <label className="flex flex-col text-xs text-slate-600">
          Value contains
          <input className={input} data-shortcut="filter" value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <label className="flex flex-col text-xs text-slate-600">
          From id (optional)
          <input
            className={`${input} font-mono`}
            placeholder="-"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="flex flex-col text-xs text-slate-600">
          To id (optional)
          <input className={`${input} font-mono`} placeholder="+" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <Button size="sm" type="submit" variant="primary" loading={search.isFetching && !search.isFetchingNextPage}>
          Search
        </Button>
        <Button
          size="sm"
          disabled={!search.hasNextPage}
          loading={search.isFetchingNextPage}
          onClick={() => void search.fetchNextPage()}
        >
          Search further
        </Button>
      </form>
      {query === null ? null : search.isError ? (
        <ErrorState error={search.error} onRetry={() => void search.refetch()} />
      ) : search.isPending ? null : (
        <>
          <p role="status" className="text-sm text-slate-600">
            {formatNumber(matches.length)} {matches.length === 1 ? "match" : "matches"}, scanned {formatNumber(scanned)}{" "}
            entries
            {search.hasNextPage ? " (newest first; more to scan)" : " (whole range scanned)"}
          </p>
          {matches.length === 0 ? (
            <EmptyState title="No matches yet">
              {search.hasNextPage ? "Search further to scan older entries." : null}
            </EmptyState>
          ) : (
            <EntriesTable
              streamKey={streamKey}
              entries={matches}
              groups={groups}
              shownGroups={pages[0]?.stateGroups?.shown}
              label="Search results"
            />
          )}
        </>
      )}
    </section>
  );
}
