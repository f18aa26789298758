"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { PAGE_SIZES, type EntryOrder } from "@/lib/contract/entries";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { useEntries } from "@/lib/hooks/use-entries";
import { isValidId, normalizeId } from "@/lib/contract/ids";
import { localInputToMs, pagingDirections } from "./entry-display";
import { EntriesTable } from "./entry-row";
import { ExportButtons } from "./export-buttons";
import { OrphanedNotice } from "./orphaned-notice";
import { StateGroupPicker } from "./state-group-picker";
import { pageStartAround, previousPageStart } from "./paging";
import { encodeSegment } from "@/lib/contract/segment";

interface View {
  /** One group to show states for, when the stream has more than a page shows. */
  stateGroup?: string;
  order: EntryOrder;
  /** undefined: the first page of the order (newest or oldest). */
  start?: string;
  count: number;
}

export function streamHref(key: string, id?: string): string {
  const base = `/streams/${encodeSegment(key)}`;
  return id ? `${base}?id=${encodeURIComponent(id)}` : base;
}

export function EntriesBrowser({
  streamKey,
  groups,
  initialId,
  streamLength,
}: {
  streamKey: string;
  groups: string[];
  /** From `?id=`: open the page around it and highlight it. */
  initialId?: string;
  streamLength: number | undefined;
}) {
  const router = useRouter();
  const targetId = initialId && isValidId(initialId) ? normalizeId(initialId) : undefined;
  const [view, setView] = useState<View>({ order: "desc", count: 50 });
  const [locating, setLocating] = useState(targetId !== undefined);
  const [moving, setMoving] = useState(false);
  const [goTo, setGoTo] = useState(initialId ?? "");
  const [time, setTime] = useState("");

  useEffect(() => {
    if (!targetId) return;
    let cancelled = false;
    pageStartAround(streamKey, "desc", targetId, 50)
      .then((start) => !cancelled && setView((v) => ({ ...v, start })))
      .catch(
        (err: unknown) =>
          !cancelled &&
          toast.error(`Could not locate ${targetId}: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => !cancelled && setLocating(false));
    return () => {
      cancelled = true;
    };
  }, [streamKey, targetId]);

  // The newest page follows the stream live (states change as consumers work); older pages hold still.
  const live = view.order === "desc" && view.start === undefined && !targetId;
  const query = useEntries(
    streamKey,
    {
      order: view.order,
      start: view.start,
      count: view.count,
      groups: view.stateGroup ? [view.stateGroup] : undefined,
    },
    { enabled: !locating, refetchInterval: live ? 5000 : false },
  );
  const page = query.data;
  const entries = page?.entries ?? [];
  const dirs = pagingDirections(view.order);

  async function goBack() {
    const first = entries[0];
    if (!first) return setView((v) => ({ ...v, start: undefined }));
    setMoving(true);
    try {
      const start = await previousPageStart(streamKey, view.order, first.id, view.count);
      if (start === null) toast.info("Already at the first page");
      else setView((v) => ({ ...v, start }));
    } catch (err) {
      toast.error(err instanceof Error ? err.message : String(err));
    } finally {
      setMoving(false);
    }
  }

  function goForward() {
    if (page?.next) setView((v) => ({ ...v, start: page.next ?? undefined }));
  }

  const canBack = view.start !== undefined;
  const canForward = Boolean(page?.next);
  const newer = {
    go: dirs.newer === "back" ? goBack : goForward,
    enabled: dirs.newer === "back" ? canBack : canForward,
  };
  const older = {
    go: dirs.older === "back" ? goBack : goForward,
    enabled: dirs.older === "back" ? canBack : canForward,
  };

  function onGoTo(e: FormEvent) {
    e.preventDefault();
    const id = goTo.trim();
    if (!isValidId(id)) return void toast.error(`"${id}" is not a stream id (ms-seq)`);
    router.push(streamHref(streamKey, id));
  }

  function onJump(e: FormEvent) {
    e.preventDefault();
    const ms = localInputToMs(time);
    if (ms === null) return void toast.error("Pick a date and time to jump to");
    setView((v) => ({ ...v, start: `time:${ms}` }));
  }

  const highlightMissing =
    targetId !== undefined && !locating && page !== undefined && !entries.some((e) => e.id === targetId);

  return (
    <section aria-labelledby="entries-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="entries-heading" className="text-lg font-semibold">
          Entries
        </h2>
        <ExportButtons streamKey={streamKey} entries={entries} />
      </div>
      <div className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
        <div role="group" aria-label="Order" className="flex gap-1">
          <Button
            size="sm"
            variant={view.order === "desc" ? "primary" : "secondary"}
            aria-pressed={view.order === "desc"}
            onClick={() => setView((v) => ({ ...v, order: "desc", start: undefined }))}
          >
            Show newest first
          </Button>
          <Button
            size="sm"
            variant={view.order === "asc" ? "primary" : "secondary"}
            aria-pressed={view.order === "asc"}
            onClick={() => setView((v) => ({ ...v, order: "asc", start: undefined }))}
          >
            Show oldest first
          </Button>
        </div>
        <label className="flex flex-col text-xs text-slate-600">
          Page size
          <select
            className="rounded border border-slate-300 px-1 py-0.5 text-sm"
            value={view.count}
            onChange={(e) => setView((v) => ({ ...v, count: Number(e.target.value) }))}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={onJump} className="flex items-end gap-1">
          <label className="flex flex-col text-xs text-slate-600">
            Jump to time
            <input
              type="datetime-local"
              step="1"
              className="rounded border border-slate-300 px-1 py-0.5 text-sm"
              value={time}
              onChange={(e) => setTime(e.target.value)}
            />
          </label>
          <Button size="sm" type="submit">
            Jump
          </Button>
        </form>
        <form onSubmit={onGoTo} className="flex items-end gap-1">
          <label className="flex flex-col text-xs text-slate-600">
            Go to id
            <input
              className="w-52 rounded border border-slate-300 px-1 py-0.5 font-mono text-sm"
              placeholder="1700000000000-0"
              value={goTo}
              onChange={(e) => setGoTo(e.target.value)}
            />
          </label>
          <Button size="sm" type="submit">
            Go
          </Button>
        </form>
        <Button size="sm" variant="ghost" loading={query.isFetching && !locating} onClick={() => void query.refetch()}>
          Refresh entries
        </Button>
        {live ? <span className="text-xs text-slate-500">Newest page: refreshes every 5 s</span> : null}
      </div>

      {page && page.orphaned.count > 0 ? <OrphanedNotice orphaned={page.orphaned} /> : null}
      {initialId && targetId === undefined ? (
        <p role="status" className="text-sm text-amber-700">
          &quot;{initialId}&quot; is not a stream id (ms-seq); showing the newest entries.
        </p>
      ) : null}
      {highlightMissing ? (
        <p role="status" className="text-sm text-amber-700">
          No entry with id {targetId}; showing the entries around it.
        </p>
      ) : null}

      {locating || (query.isPending && !page) ? (
        <TableSkeleton label="Loading entries" />
      ) : query.isError && !page ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : entries.length === 0 ? (
        view.start === undefined && streamLength === 0 ? (
          <EmptyState title="Stream is empty">It exists (length 0) but holds no entries yet.</EmptyState>
        ) : (
          <EmptyState title="No entries in this range" />
        )
      ) : (
        <>
          {page?.stateGroups || view.stateGroup ? (
            <StateGroupPicker
              groups={groups}
              shown={page?.stateGroups}
              value={view.stateGroup}
              onChange={(stateGroup) => setView((v) => ({ ...v, stateGroup }))}
            />
          ) : null}
          <EntriesTable
            streamKey={streamKey}
            entries={entries}
            groups={groups.length ? groups : Object.keys(entries[0]?.states ?? {})}
            shownGroups={page?.stateGroups?.shown}
            highlightId={targetId}
            label="Entries"
          />
        </>
      )}

      <div className="flex items-center gap-2">
        <Button size="sm" onClick={() => void newer.go()} disabled={!newer.enabled || moving || locating}>
          Newer
        </Button>
        <Button size="sm" onClick={() => void older.go()} disabled={!older.enabled || moving || locating}>
          Older
        </Button>
        <span className="text-xs text-slate-500">
          {entries.length > 0 ? `${entries.length} entries, ${entries[0]?.id} … ${entries.at(-1)?.id}` : null}
        </span>
      </div>
    </section>
  );
}
