"use client";
import { useMutation } from "@tanstack/react-query";
import { pendingClient } from "@/lib/client/pending";
import { useInvalidateAfter } from "./use-invalidate";

/** Moves dead-lettered entries back to their origin streams; refreshes the DLQ, the origins and the overview. */
export function useRedrive(dlqKey: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: ({ ids }: { ids: string[]; origins: string[] }) => pendingClient.redrive(dlqKey, { ids }),
    onSettled: (_result, _error, { origins }) => invalidate({ kind: "redrive", stream: dlqKey, origins }),
  });
}
