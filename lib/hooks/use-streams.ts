"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { streamsClient } from "@/lib/client/streams";

export const STREAM_LIST_CAP = 10_000;

/** Every stream matching `match` (all SCAN pages, up to `cap` rows). */
export function useStreams(opts: { match?: string; cap?: number; refetchInterval?: number | false } = {}) {
  const match = opts.match || "*";
  const cap = opts.cap ?? STREAM_LIST_CAP;
  return useQuery({
    queryKey: queryKeys.streams.list({ match, cap }),
    queryFn: () => streamsClient.all({ match, cap }),
    refetchInterval: opts.refetchInterval ?? 5000,
    placeholderData: keepPreviousData,
  });
}

/** The overview's summary tiles for the streams matching `match`. */
export function useOverviewSummary(opts: { match?: string; refetchInterval?: number | false } = {}) {
  const match = opts.match || "*";
  return useQuery({
    queryKey: queryKeys.streams.summary({ match }),
    queryFn: () => streamsClient.summary({ match }),
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
