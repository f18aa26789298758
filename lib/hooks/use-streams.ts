"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { streamsClient } from "@/lib/client/streams";

/** How often a page is read again while the index is still discovering (its progress line moves). */
const DISCOVERING_REFETCH_MS = 1000;

/**
 * One page of the stream index: `count` streams from `offset` under `match` (and on `node`), in
 * key order. While the first pass runs, refetched at least every second.
 */
export function useStreamsPage(opts: {
  match?: string;
  node?: string;
  offset: number;
  count: number;
  refetchInterval?: number | false;
}) {
  const match = opts.match || "*";
  const node = opts.node || undefined;
  const interval = opts.refetchInterval ?? 5000;
  return useQuery({
    queryKey: queryKeys.streams.list({ match, node, offset: opts.offset, count: opts.count }),
    queryFn: () => streamsClient.indexPage({ match, node, offset: opts.offset, count: opts.count }),
    refetchInterval: (query) =>
      query.state.data?.index?.discovering && interval !== false
        ? Math.min(interval, DISCOVERING_REFETCH_MS)
        : interval,
    placeholderData: keepPreviousData,
  });
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
