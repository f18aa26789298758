"use client";
import { useCallback, useState } from "react";
import { keepPreviousData, useQueries, useQuery, type UseQueryResult } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { streamsClient } from "@/lib/client/streams";
import type { StreamOrder, StreamsListResponse } from "@/lib/contract/streams";

/** How often a page is read again while the index is still discovering (its progress line moves). */
const DISCOVERING_REFETCH_MS = 1000;

export interface IndexPage {
  data: StreamsListResponse;
  /** When this page was fetched (ms since the epoch). */
  updatedAt: number;
}

interface PagesView {
  scope: string;
  /** Pages on screen: fetched and kept fresh. */
  live: readonly number[];
  /** Pages shown at some time under this scope: their last answer stays for the layout. */
  seen: readonly number[];
}

const FIRST_PAGE: readonly number[] = [0];

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The stream index under `match` (and on `node`) page by page, in `order` (key order by default),
 * for one scrolling table: `show(pages)`
 * names the pages on screen, which are fetched (`GET /api/streams?offset=&count=`, one query per
 * page under `queryKeys.streams.list`) and refetched every `refetchInterval` (at least every second
 * while the index's first pass runs); pages scrolled away keep their last answer without polling.
 * A new match, node or order starts again from the first page; until it answers, the previous scope's
 * pages stay (`previous`), so typing a filter does not blank the table.
 */
export function useStreamIndexPages(opts: {
  match?: string;
  node?: string;
  order?: StreamOrder;
  pageSize: number;
  refetchInterval?: number | false;
}) {
  const match = opts.match || "*";
  const node = opts.node || undefined;
  const order = opts.order ?? "key";
  const { pageSize } = opts;
  const interval = opts.refetchInterval ?? 5000;
  const scope = JSON.stringify([match, node ?? null, pageSize, order]);
  const [view, setView] = useState<PagesView>({ scope, live: FIRST_PAGE, seen: FIRST_PAGE });
  const current = view.scope === scope ? view : { scope, live: FIRST_PAGE, seen: FIRST_PAGE };
  const live = new Set(current.live);

  const { seen, live: liveList } = current;
  // Stable while the pages asked for are: React Query then hands back the same combined answer
  // (the same `pages` map) until one of them changes, so the table lays out again only then.
  const combine = useCallback(
    (results: UseQueryResult<StreamsListResponse>[]) => {
      const on = new Set(liveList);
      const pages = new Map<number, IndexPage>();
      let newest: IndexPage | undefined;
      let error: Error | null = null;
      let fetching = false;
      seen.forEach((page, i) => {
        const r = results[i];
        if (!r) return;
        if (r.data) {
          const entry = { data: r.data, updatedAt: r.dataUpdatedAt };
          pages.set(page, entry);
          if (!newest || entry.updatedAt >= newest.updatedAt) newest = entry;
        }
        if (on.has(page)) {
          error ??= r.error;
          fetching ||= r.isFetching;
        }
      });
      const refetch = () => {
        seen.forEach((page, i) => {
          if (on.has(page)) void results[i]?.refetch();
        });
      };
      return { pages, newest, error, fetching, refetch };
    },
    [seen, liveList],
  );
  const { pages, newest, error, fetching, refetch } = useQueries({
    queries: seen.map((page) => {
      const params = { match, node, offset: page * pageSize, count: pageSize, order };
      const on = live.has(page);
      return {
        queryKey: queryKeys.streams.list(params),
        queryFn: () => streamsClient.indexPage(params),
        enabled: on,
        refetchInterval: (query: { state: { data?: StreamsListResponse } }) =>
          !on || interval === false
            ? false
            : query.state.data?.index?.discovering
              ? Math.min(interval, DISCOVERING_REFETCH_MS)
              : interval,
      };
    }),
    combine,
  });

  const show = useCallback(
    (pages: readonly number[]) =>
      setView((prev) => {
        const base = prev.scope === scope ? prev : { scope, live: FIRST_PAGE, seen: FIRST_PAGE };
        const next = pages.length > 0 ? [...pages].sort((a, b) => a - b) : FIRST_PAGE;
        if (sameNumbers(base.live, next)) return base;
        const seen = [...new Set([...base.seen, ...next])].sort((a, b) => a - b);
        return { scope, live: next, seen: sameNumbers(seen, base.seen) ? base.seen : seen };
      }),
    [scope],
  );

  const [shown, setShown] = useState<{ scope: string; pages: Map<number, IndexPage>; newest: IndexPage } | null>(null);
  if (
    newest &&
    (shown?.scope !== scope ||
      shown.newest.data !== newest.data ||
      shown.newest.updatedAt !== newest.updatedAt ||
      shown.pages.size !== pages.size)
  )
    setShown({ scope, pages, newest });
  const previous = !newest && !error && shown && shown.scope !== scope ? shown : null;

  return {
    /** Loaded pages by number (the previous scope's while the new one has not answered). */
    pages: previous ? previous.pages : pages,
    /** Where the index stands, from the newest answer. */
    index: (previous ? previous.newest : newest)?.data.index,
    updatedAt: (previous ? previous.newest : newest)?.updatedAt ?? 0,
    previous: previous !== null,
    isLoading: !newest && !previous && !error,
    isFetching: fetching,
    error,
    live: current.live,
    show,
    refetch,
  };
}

/** The overview's summary tiles for the streams matching `match` (and on `node`, a cluster's master). */
export function useOverviewSummary(opts: { match?: string; node?: string; refetchInterval?: number | false } = {}) {
  const match = opts.match || "*";
  const node = opts.node || undefined;
  return useQuery({
    queryKey: queryKeys.streams.summary({ match, node }),
    queryFn: () => streamsClient.summary({ match, node }),
    refetchInterval: opts.refetchInterval ?? 5000,
    placeholderData: keepPreviousData,
  });
}

/** One stream's facts and groups; `refetchInterval` in ms, or false for none. */
export function useStream(key: string, opts: { refetchInterval?: number | false; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.streams.detail(key),
    queryFn: () => streamsClient.detail(key),
    refetchInterval: opts.refetchInterval ?? 5000,
    enabled: opts.enabled ?? true,
  });
}
