"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { trimClient } from "@/lib/client/trim";
import { useInvalidateAfter } from "./use-invalidate";

/** What holds the stream's entries, refreshed every 30 s (it moves only as groups read and ack). */
export function useTrimPreview(key: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.streams.trimPreview(key),
    queryFn: () => trimClient.preview(key),
    enabled,
    refetchInterval: 30_000,
  });
}

/** Trims the entries every group has acked, then refreshes what the trim changed. */
export function useTrimStream(key: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: () => trimClient.trim(key),
    onSuccess: () => invalidate({ kind: "trim", stream: key }),
  });
}
