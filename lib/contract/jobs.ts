/**
 * The contract of background bulk jobs: a pending action started with `background: true` answers
 * 202 `{job}` at once and runs in the server; the group page polls its jobs. No server imports.
 */
import { z } from "zod";
import type { PendingAction } from "./pending";

/**
 * `running`: batches are being sent; `cancelling`: a cancel was asked, the job stops before its
 * next batch; `interrupted`: it was running but has not reported for JOB_LEASE_MS (its server
 * stopped): nothing is half-done, the counts are what it reported last.
 */
export const JOB_STATUSES = ["running", "cancelling", "cancelled", "done", "failed", "interrupted"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A running job reports after every round of batches; silent for longer, it shows as interrupted. */
export const JOB_LEASE_MS = 30_000;
/** How long an ended job stays listed. */
export const JOB_KEEP_MS = 24 * 60 * 60 * 1000;
/** Most jobs a group's list answers (newest first). */
export const JOB_LIST_LIMIT = 20;

export function isJobEnded(status: JobStatus): boolean {
  return status === "cancelled" || status === "done" || status === "failed" || status === "interrupted";
}

/** A pending action, or the consumer reaper's bulk mode (ok: consumers deleted, skipped: kept). */
export type JobAction = PendingAction | "reap";

export interface JobDto {
  id: string;
  action: JobAction;
  stream: string;
  group: string;
  /** What it acts on, as an operator reads it: `filter {...}` or `1,200 ids`. */
  target: string;
  who: string;
  /** ms since the epoch. */
  started: number;
  /** Last report (ms since the epoch). */
  updated: number;
  ended: number | null;
  /** Targets counted before the first batch; null while counting. */
  total: number | null;
  /** Messages (reap: consumers) processed so far (ok + skipped + deleted). */
  done: number;
  ok: number;
  skipped: number;
  deleted: number;
  status: JobStatus;
  /** The action's answer for what it did (acked/claimed/... counts), once it ended. */
  result: Record<string, unknown> | null;
  error: string | null;
  /** The pace it was started with (messages a second at most); absent: as fast as possible. */
  pace?: number;
}

/** `POST .../{action}` with `background: true` (status 202), `GET /api/jobs/{id}`, `POST /api/jobs/{id}/cancel`. */
export interface JobResponse {
  job: JobDto;
}

/** `GET /api/streams/{key}/groups/{group}/jobs` */
export interface JobListResponse {
  jobs: JobDto[];
}

export const jobParamsSchema = z.object({ id: z.string().regex(/^[a-z0-9]{8,40}$/, "not a job id") });

/** Messages per second from its start to its last report, and ms left at that rate (null when unknown). */
export function jobRate(job: JobDto): { rate: number | null; leftMs: number | null } {
  const end = job.ended ?? job.updated;
  const secs = (end - job.started) / 1000;
  if (secs <= 0 || job.done === 0) return { rate: null, leftMs: null };
  const rate = job.done / secs;
  const left = job.total === null || isJobEnded(job.status) ? null : Math.max(0, job.total - job.done);
  return { rate, leftMs: left === null ? null : (left / rate) * 1000 };
}
