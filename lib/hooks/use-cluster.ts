"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { clusterClient } from "@/lib/client/cluster";
import { queryKeys } from "@/lib/client/query-keys";

/** The cluster's nodes (or the one server), refreshed every 5 s by default. */
export function useClusterOverview(opts: { refetchInterval?: number | false } = {}) {
  return useQuery({
    queryKey: queryKeys.cluster,
    queryFn: clusterClient.overview,
    refetchInterval: opts.refetchInterval ?? 5000,
    placeholderData: keepPreviousData,
  });
}
