"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { fetchWorkerStatus, runWorkerTick } from "@/lib/client/worker";

export function useWorkerStatus() {
  return useQuery({ queryKey: queryKeys.worker.status, queryFn: fetchWorkerStatus, refetchInterval: 5000 });
}

export function useRunWorker() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: runWorkerTick,
    // A tick can change any stream (rotation, reclaim, trim): refresh the worker and stream views.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.worker.all });
      void client.invalidateQueries({ queryKey: queryKeys.streams.all });
    },
  });
}
