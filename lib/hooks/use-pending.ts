"use client";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { pendingClient, type ActionBody } from "@/lib/client/pending";
import { queryKeys } from "@/lib/client/query-keys";
import type {
  AckResponse,
  ClaimResponse,
  DeadLetterResponse,
  DeleteResponse,
  PendingAction,
  PendingQuery,
  RedriveMatchingBody,
  RedriveMatchingResponse,
  RequeueResponse,
} from "@/lib/contract/pending";
import { useInvalidateAfter } from "./use-invalidate";

/**
 * One page of the group's PEL; the previous page stays on screen while the next loads. `paused`
 * (a dialog is open over the list) stops the 10 s refresh so rows do not move under the operator.
 */
export function usePendingPage(key: string, group: string, query: PendingQuery, opts: { paused?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.streams.pending(key, group, { ...query }),
    queryFn: () => pendingClient.page(key, group, query),
    placeholderData: keepPreviousData,
    refetchInterval: opts.paused ? false : 10_000,
    refetchOnWindowFocus: !opts.paused,
  });
}

/** The answer of any message action (counts; `target` for dead-letter). */
export type ActionResult = AckResponse | ClaimResponse | RequeueResponse | DeadLetterResponse | DeleteResponse;

function run(key: string, group: string, action: PendingAction, body: ActionBody): Promise<ActionResult> {
  const target = body.ids ? { ids: body.ids } : { filter: body.filter ?? {} };
  switch (action) {
    case "ack":
      return pendingClient.ack(key, group, target);
    case "delete":
      return pendingClient.delete(key, group, target);
    case "claim":
      return pendingClient.claim(key, group, {
        ...target,
        consumer: body.consumer ?? "",
        minIdleMs: body.minIdleMs ?? 0,
      });
    case "requeue":
      return pendingClient.requeue(key, group, { ...target, ...(body.allGroups ? { allGroups: true } : {}) });
    case "dead-letter":
      return pendingClient.deadLetter(key, group, { ...target, ...(body.target ? { target: body.target } : {}) });
  }
}

/** Runs one message action and then invalidates exactly what it changed. */
export function usePendingAction(key: string, group: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: ({ action, body }: { action: PendingAction; body: ActionBody }) => run(key, group, action, body),
    onSuccess: async (result, { action }) => {
      await invalidate({ kind: action, stream: key, group, target: "target" in result ? result.target : undefined });
    },
  });
}

/** Dry run: how many messages the action would touch (`enabled` false for ids: their count is known). */
export function useActionPreview(
  key: string,
  group: string,
  action: PendingAction,
  body: ActionBody,
  enabled: boolean,
) {
  return useQuery({
    queryKey: queryKeys.actionPreview(key, group, action, body),
    queryFn: () => previewAction(key, group, action, body),
    enabled,
    gcTime: 0,
    staleTime: Infinity,
    retry: false,
  });
}

function previewAction(key: string, group: string, action: PendingAction, body: ActionBody) {
  const target = body.ids ? { ids: body.ids } : { filter: body.filter ?? {} };
  const extra =
    action === "claim"
      ? { consumer: body.consumer || "streamscope-preview", minIdleMs: body.minIdleMs ?? 0 }
      : action === "requeue" && body.allGroups
        ? { allGroups: true }
        : {};
  return pendingClient.preview(key, group, action, { ...target, ...extra });
}

/** Moves dead-lettered entries back to their origin streams; refreshes the DLQ, the origins and the overview. */
export function useRedrive(dlqKey: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: ({ ids }: { ids: string[]; origins: string[] }) => pendingClient.redrive(dlqKey, { ids }),
    onSettled: (_result, _error, { origins }) => invalidate({ kind: "redrive", stream: dlqKey, origins }),
  });
}

/** Counts what "Redrive all matching" would move: one bounded walk of the dead-letter stream. */
export function useRedriveMatchingPreview(dlqKey: string) {
  return useMutation({
    mutationFn: (body: Omit<RedriveMatchingBody, "dryRun">) =>
      pendingClient.redriveMatching(dlqKey, { ...body, dryRun: true }),
  });
}

/**
 * "Redrive all matching": walks the whole dead-letter stream, one bounded request after another
 * (each continues from the previous `cursor`), and sums the answers; `onPage` reports progress.
 */
export function useRedriveMatching(dlqKey: string) {
  const invalidate = useInvalidateAfter();
  return useMutation({
    mutationFn: async ({
      filter,
      onPage,
    }: {
      filter: RedriveMatchingBody["filter"];
      origins: string[];
      onPage?: (sum: RedriveMatchingResponse) => void;
    }) => {
      let sum: RedriveMatchingResponse = { matched: 0, redriven: 0, skipped: 0, scanned: 0, more: true, cursor: null };
      while (sum.more) {
        const page = await pendingClient.redriveMatching(dlqKey, {
          filter,
          ...(sum.cursor ? { cursor: sum.cursor } : {}),
        });
        sum = {
          matched: sum.matched + page.matched,
          redriven: sum.redriven + page.redriven,
          skipped: sum.skipped + page.skipped,
          scanned: sum.scanned + page.scanned,
          more: page.more,
          cursor: page.cursor,
          ...(page.twoStep !== undefined
            ? { atomic: (sum.twoStep ?? 0) + page.twoStep === 0, twoStep: (sum.twoStep ?? 0) + page.twoStep }
            : {}),
        };
        onPage?.(sum);
      }
      return sum;
    },
    onSettled: (_result, _error, { origins }) => invalidate({ kind: "redrive", stream: dlqKey, origins }),
  });
}
