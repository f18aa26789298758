"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { pendingClient } from "@/lib/client/pending";
import type { PendingQuery } from "@/lib/contract/pending";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * One page of the group's PEL; the previous page stays on screen while the next loads. `paused`
 * (a dialog is open over the list) stops the 10 s refresh so rows do not move under the operator.
 */
export function usePendingPage(key: string, group: string, query: PendingQuery, opts: { paused?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.streams.pending(key, group, { ...query }),
    queryFn: () => pendingClient.page(key, group, query),
    placeholderData: keepPreviousData,
    refetchInterval: opts.paused ? false : 10_000,
    refetchOnWindowFocus: !opts.paused,
  });
}
