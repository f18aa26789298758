"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/query-keys";
import { workerClient } from "@/lib/client/worker";
import { useInvalidateAfter } from "./use-invalidate";

export function useWorkerStatus() {
  return useQuery({ queryKey: queryKeys.worker.status, queryFn: workerClient.status, refetchInterval: 5000 });
}

export function useRunWorker() {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: workerClient.runTick,
    onSettled: () => invalidate({ kind: "worker-tick" }),
  });
}
