import { TICK_HISTORY, workerTicksKey } from "@/lib/metrics/worker-ticks";
import { appKey } from "@/lib/redis/app-keys";

/** Every key the worker owns, under the app prefix. */
export const workerKeys = {
  lock: () => appKey("worker", "lock"),
  /** Hash: job name -> last successful run (ms). */
  lastRun: () => appKey("worker", "last-run"),
  /** Capped list of the last tick results (JSON), newest first. */
  ticks: workerTicksKey,
  /** Hash describing the in-process scheduler that ran last: instance, intervalMs, nextAt. */
  scheduler: () => appKey("worker", "scheduler"),
  /** SCAN cursor a job resumes from on its next run. */
  cursor: (job: string) => appKey("worker", "cursor", job),
  /** The expiry a stream had when the guard first extended it (self-expiring). */
  plannedExpiry: (stream: string) => appKey("worker", "planned-expiry", stream),
};

export { TICK_HISTORY };
