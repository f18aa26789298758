"use client";
import { useQuery } from "@tanstack/react-query";
import { familiesClient } from "@/lib/client/families";
import { queryKeys } from "@/lib/client/query-keys";

/** A family's retention check, read while its row is open, refreshed every 15 s. */
export function useFamilyRetention(pattern: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.streams.familyRetention(pattern),
    queryFn: () => familiesClient.retention(pattern),
    enabled,
    refetchInterval: 15_000,
  });
}
