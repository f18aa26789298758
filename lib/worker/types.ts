import type { RedisConnection } from "@/lib/redis/connection";
import type { Settings } from "@/lib/config/settings";
import type { WorkerFinding } from "@/lib/contract/worker";
import type { TickStreamSource } from "./tick-streams";

export type { WorkerFinding };

/**
 * A job the worker's tick runs at its own cadence. Jobs are plain functions of a Redis
 * connection, the settings and a clock, so tests drive them with an injected `now`.
 */
export interface JobContext {
  redis: RedisConnection;
  settings: Settings;
  now: number;
  /** True for `POST /api/worker`: run even if the cadence says not yet. */
  forced: boolean;
  /** Renews the tick lock; long jobs call it between batches. Throws when the lock was lost. */
  heartbeat: () => Promise<void>;
  /** Glob limiting which keys the jobs scan (default `*`; tests and benches narrow it). */
  keyMatch?: string;
  /** Results of the jobs that already ran in this tick, by job name (alerts read the guard's). */
  earlier?: Readonly<Record<string, JobResult>>;
  /** The tick's one slice of streams and its snapshot, shared by the jobs (absent for a job run on its own). */
  streams?: TickStreamSource;
}

export interface JobResult {
  /** Counts of what the job did, e.g. {created: 1, reclaimed: 12}. */
  counts: Record<string, number>;
  /** Human-readable lines: what changed and why. */
  notes: string[];
  /** Redis commands the job issued (approximate, for cost reporting). */
  commands?: number;
  /** Findings for alerts (the expiry guard reports here). */
  findings?: WorkerFinding[];
}

export interface WorkerJob {
  name: string;
  cadenceMs: number;
  /** The job changes the watched streams (read-only mode skips it); jobs writing under the prefix only leave it out. */
  changesStreams?: boolean;
  run(ctx: JobContext): Promise<JobResult>;
}
