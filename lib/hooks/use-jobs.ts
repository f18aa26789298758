"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { jobsClient } from "@/lib/client/jobs";
import type { ActionBody } from "@/lib/client/pending";
import { queryKeys } from "@/lib/client/query-keys";
import { isJobEnded, type JobDto, type JobResponse } from "@/lib/contract/jobs";
import type { PendingAction } from "@/lib/contract/pending";
import type { ReapBody } from "@/lib/contract/reap";
import { useInvalidateAfter } from "./use-invalidate";

/** Poll every second while a job runs; slower when none does (another operator may start one). */
const RUNNING_POLL_MS = 1000;
const IDLE_POLL_MS = 10_000;

const anyRunning = (jobs: readonly JobDto[] | undefined) => !!jobs?.some((j) => !isJobEnded(j.status));

/**
 * When a job seen running ends, invalidate what its action changed (as after the synchronous
 * action). Jobs already ended when first seen change nothing on screen.
 */
function useInvalidateOnEnd(jobs: readonly JobDto[]) {
  const invalidate = useInvalidateAfter();
  const seenRunning = useRef(new Set<string>());
  useEffect(() => {
    for (const job of jobs) {
      if (!isJobEnded(job.status)) seenRunning.current.add(job.id);
      else if (seenRunning.current.delete(job.id)) {
        const target = typeof job.result?.target === "string" ? job.result.target : undefined;
        void invalidate({ kind: job.action, stream: job.stream, group: job.group, target });
      }
    }
  }, [jobs, invalidate]);
}

/** The group's recent jobs (newest first), polled every second while one of them runs. */
export function useGroupJobs(key: string, group: string) {
  const query = useQuery({
    queryKey: queryKeys.jobs.group(key, group),
    queryFn: () => jobsClient.list(key, group),
    refetchInterval: (q) => (anyRunning(q.state.data?.jobs) ? RUNNING_POLL_MS : IDLE_POLL_MS),
  });
  useInvalidateOnEnd(query.data?.jobs ?? []);
  return query;
}

/** One job, polled every second until it ends. */
export function useJob(id: string | null) {
  const query = useQuery({
    queryKey: queryKeys.jobs.detail(id ?? ""),
    queryFn: () => jobsClient.get(id ?? ""),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && isJobEnded(q.state.data.job.status) ? false : RUNNING_POLL_MS),
  });
  useInvalidateOnEnd(query.data ? [query.data.job] : []);
  return query;
}

function useShowStartedJob(key: string, group: string) {
  const client = useQueryClient();
  return async (res: JobResponse) => {
    // The 202 answer is the job's first state: show it at once, then poll.
    client.setQueryData(queryKeys.jobs.detail(res.job.id), res);
    await client.invalidateQueries({ queryKey: queryKeys.jobs.group(key, group) });
  };
}

export function useStartJob(key: string, group: string) {
  const onSuccess = useShowStartedJob(key, group);
  return useMutation({
    mutationFn: ({ action, body }: { action: PendingAction; body: ActionBody }) =>
      jobsClient.start(key, group, action, body),
    onSuccess,
  });
}

/** The bulk consumer reaper as a background job (the group's jobs panel shows it). */
export function useStartReapJob(key: string, group: string) {
  const onSuccess = useShowStartedJob(key, group);
  return useMutation({ mutationFn: (body: ReapBody) => jobsClient.startReap(key, group, body), onSuccess });
}

export function useCancelJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => jobsClient.cancel(id),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.jobs.all });
    },
  });
}
