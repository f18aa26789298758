"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { redriveMessages } from "@/lib/client/pending";
import { queryKeys } from "@/lib/client/query-keys";

/** Moves dead-lettered entries back to their origin streams; refreshes the DLQ and the origins. */
export function useRedrive(dlqKey: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => redriveMessages(dlqKey, { ids }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.streams.detail(dlqKey) });
      void client.invalidateQueries({ queryKey: ["streams", "list"] });
      void client.invalidateQueries({ queryKey: queryKeys.streams.summary });
    },
  });
}
