"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { auditClient } from "@/lib/client/audit";
import { queryKeys } from "@/lib/client/query-keys";
import type { AuditQuery } from "@/lib/contract/audit";

export function useAudit(filters: Omit<AuditQuery, "cursor">) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filters as Record<string, unknown>),
    queryFn: ({ pageParam }) => auditClient.list({ ...filters, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: 10_000,
  });
}
