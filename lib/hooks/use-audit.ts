"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchAudit } from "@/lib/api/auth-client";
import { queryKeys } from "@/lib/api/query-keys";
import type { AuditQuery } from "@/lib/api/audit-types";

export function useAudit(filters: Omit<AuditQuery, "cursor">) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filters as Record<string, unknown>),
    queryFn: ({ pageParam }) => fetchAudit({ ...filters, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: 10_000,
  });
}
