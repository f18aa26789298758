/**
 * What a tick did and what the worker looks like now: shared by lib/worker, the worker route
 * and the worker page (plain types, no server imports).
 */

import type { DataAge } from "./age";

/** Something an operator must know about: alerts turn these into alerts. */
export interface WorkerFinding {
  /** e.g. "expiry-extended", "expiry-cap-reached", "missing-expiry". */
  kind: string;
  severity: "info" | "warning" | "critical";
  stream: string;
  message: string;
  /** Messages that will be lost when the stream expires (pending + waiting), when known. */
  messagesAtRisk?: number;
  /** When the stream will expire (ms since epoch), when known. */
  expiresAt?: number;
}

export interface JobRun {
  name: string;
  /** False when the job's cadence said "not yet", or when it was skipped (see `skipped`). */
  ran: boolean;
  /** Why a due job did not run, e.g. read-only mode. */
  skipped?: string;
  counts: Record<string, number>;
  notes: string[];
  findings?: WorkerFinding[];
  commands?: number;
  durationMs: number;
  error?: string;
  /** When the job is due next (ms). */
  nextRunAt: number;
}

export interface TickResult {
  id: string;
  instance: string;
  /** `busy`: another tick held the lock for longer than the wait bound; nothing ran. */
  status: "ok" | "error" | "busy";
  forced: boolean;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  /** Time spent waiting for another tick's lock. */
  waitedMs: number;
  message?: string;
  jobs: JobRun[];
}

export interface WorkerStatus extends DataAge {
  /** The answering process's instance id (host name, pid, random): its ticks and locks carry it. */
  instance: string;
  ticks: TickResult[];
  lock: { holder: string | null; ttlMs: number | null };
  scheduler: {
    enabled: boolean;
    intervalMs: number;
    instance: string | null;
    nextTickAt: number | null;
    lastError: string | null;
  };
  jobs: { name: string; cadenceMs: number; lastRunAt: number | null; nextRunAt: number | null }[];
}
