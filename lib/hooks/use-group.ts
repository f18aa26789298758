"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { pendingClient } from "@/lib/client/pending";
import type { ReapBody } from "@/lib/contract/reap";
import { queryKeys } from "@/lib/client/query-keys";
import { streamsClient } from "@/lib/client/streams";
import type { CreateGroupBody, PublishBody, SetIdBody } from "@/lib/contract/pending";
import { useInvalidateAfter } from "./use-invalidate";

/** Group facts and consumers; refreshed every 5 s while the page is open, unless `paused` (a dialog is open). */
export function useGroup(key: string, group: string, opts: { paused?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.streams.group(key, group),
    queryFn: () => pendingClient.group(key, group),
    refetchInterval: opts.paused ? false : 5000,
    refetchOnWindowFocus: !opts.paused,
  });
}

/** Names of the stream's groups (at most 1,000) and how many it has (null while unknown). */
export function useStreamGroupNames(key: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.streams.groups(key),
    queryFn: () => streamsClient.groupNames(key),
    enabled,
    staleTime: 10_000,
  });
}

export function useIdleHistogram(key: string, group: string) {
  return useQuery({
    queryKey: queryKeys.streams.idleHistogram(key, group),
    queryFn: () => pendingClient.idleHistogram(key, group),
    refetchInterval: 10_000,
  });
}

/** The poison radar: delivery counts over the group's pending messages, the most delivered first. */
export function useDeliveries(key: string, group: string, over: number) {
  return useQuery({
    queryKey: queryKeys.streams.deliveries(key, group, over),
    queryFn: () => pendingClient.deliveries(key, group, over),
    refetchInterval: 10_000,
  });
}

/** Group and stream admin mutations; each invalidates exactly what it changed. */
export function useCreateGroup(key: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: (body: CreateGroupBody) => pendingClient.createGroup(key, body),
    onSuccess: () => invalidate({ kind: "create-group", stream: key }),
  });
}

export function useDeleteGroup(key: string, group: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: () => pendingClient.deleteGroup(key, group),
    onSuccess: () => invalidate({ kind: "delete-group", stream: key }),
  });
}

export function useSetGroupId(key: string, group: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: (body: SetIdBody) => pendingClient.setGroupId(key, group, body),
    onSuccess: () => invalidate({ kind: "setid", stream: key, group }),
  });
}

export function useDeleteConsumer(key: string, group: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: (consumer: string) => pendingClient.deleteConsumer(key, group, consumer),
    onSuccess: () => invalidate({ kind: "delete-consumer", stream: key, group }),
  });
}

/** The consumer reaper: a dry run changes nothing; a real run refreshes what deleting consumers changed. */
export function useReapConsumers(key: string, group: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: (body: ReapBody) => pendingClient.reap(key, group, body),
    onSuccess: (res) => (res.dryRun ? undefined : invalidate({ kind: "reap", stream: key, group })),
  });
}

export function usePublishMessage(key: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: PublishBody; idempotencyKey: string }) =>
      pendingClient.publish(key, body, idempotencyKey),
    onSuccess: () => invalidate({ kind: "publish", stream: key }),
  });
}
