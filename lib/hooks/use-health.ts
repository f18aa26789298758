"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchHealth } from "@/lib/api/health-client";
import { queryKeys } from "@/lib/api/query-keys";

export function useHealth() {
  return useQuery({ queryKey: queryKeys.health, queryFn: fetchHealth, refetchInterval: 3000, retry: false });
}
