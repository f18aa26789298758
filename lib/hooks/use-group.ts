"use client";
import { useQuery } from "@tanstack/react-query";
import { pendingClient } from "@/lib/client/pending";
import { queryKeys } from "@/lib/client/query-keys";
import { streamsClient } from "@/lib/client/streams";

/** Group facts and consumers; refreshed every 5 s while the page is open, unless `paused` (a dialog is open). */
export function useGroup(key: string, group: string, opts: { paused?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.streams.group(key, group),
    queryFn: () => pendingClient.group(key, group),
    refetchInterval: opts.paused ? false : 5000,
    refetchOnWindowFocus: !opts.paused,
  });
}

/** Names of every group of the stream (null while unknown). */
export function useStreamGroupNames(key: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.streams.groups(key),
    queryFn: () => streamsClient.groupNames(key),
    enabled,
    staleTime: 10_000,
  });
}
