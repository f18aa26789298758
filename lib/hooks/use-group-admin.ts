"use client";
import { useMutation } from "@tanstack/react-query";
import { pendingClient } from "@/lib/client/pending";
import type { CreateGroupBody, PublishBody, SetIdBody } from "@/lib/contract/pending";
import { useInvalidateAfter } from "./use-invalidate";

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

export function usePublishMessage(key: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: PublishBody; idempotencyKey: string }) => pendingClient.publish(key, body, idempotencyKey),
    onSuccess: () => invalidate({ kind: "publish", stream: key }),
  });
}
