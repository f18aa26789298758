"use client";
import { useQuery } from "@tanstack/react-query";
import { healthClient } from "@/lib/client/health";
import { queryKeys } from "@/lib/client/query-keys";

export function useHealth() {
  return useQuery({ queryKey: queryKeys.health, queryFn: healthClient.check, refetchInterval: 3000, retry: false });
}
