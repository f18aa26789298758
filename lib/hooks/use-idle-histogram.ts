"use client";
import { useQuery } from "@tanstack/react-query";
import { pendingClient } from "@/lib/client/pending";
import { queryKeys } from "@/lib/client/query-keys";

export function useIdleHistogram(key: string, group: string) {
  return useQuery({
    queryKey: queryKeys.streams.idleHistogram(key, group),
    queryFn: () => pendingClient.idleHistogram(key, group),
    refetchInterval: 10_000,
  });
}
