"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { historyClient } from "@/lib/client/history";
import type { HistoryRange } from "@/lib/contract/history";
import { queryKeys } from "@/lib/client/query-keys";

const HISTORY_REFRESH_MS = 10_000;

export function useStreamHistory(key: string, range: HistoryRange) {
  return useQuery({
    queryKey: queryKeys.history.stream(key, range),
    queryFn: () => historyClient.stream(key, range),
    refetchInterval: HISTORY_REFRESH_MS,
  });
}

export function useGroupHistory(key: string, group: string, range: HistoryRange) {
  return useQuery({
    queryKey: queryKeys.history.group(key, group, range),
    queryFn: () => historyClient.group(key, group, range),
    refetchInterval: HISTORY_REFRESH_MS,
  });
}

export function usePendingProfile(key: string, group: string) {
  return useQuery({
    queryKey: queryKeys.history.pendingProfile(key, group),
    queryFn: () => historyClient.pendingProfile(key, group),
    refetchInterval: 60_000,
  });
}

/**
 * Recent in / acked rates for up to 200 streams (the overview's rows around the visible ones);
 * the last answer stays while the next set of keys loads.
 */
export function useStreamRates(keys: readonly string[]) {
  const bounded = keys.slice(0, 200);
  return useQuery({
    queryKey: queryKeys.history.rates(bounded),
    queryFn: () => historyClient.rates(bounded),
    enabled: bounded.length > 0,
    refetchInterval: HISTORY_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}
