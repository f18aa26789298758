"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchPending } from "@/lib/api/pending-client";
import type { PendingQuery } from "@/lib/api/pending-types";
import { queryKeys } from "@/lib/api/query-keys";

/** One page of the group's PEL; the previous page stays on screen while the next loads. */
export function usePendingPage(key: string, group: string, query: PendingQuery) {
  return useQuery({
    queryKey: queryKeys.streams.pending(key, group, { ...query }),
    queryFn: () => fetchPending(key, group, query),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}
