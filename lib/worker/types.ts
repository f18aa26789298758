import type Redis from "ioredis";
import type { Settings } from "@/lib/config/settings";

/**
 * A job the worker's tick runs at its own cadence. Jobs are plain functions of a Redis
 * connection, the settings and a clock, so tests drive them with an injected `now`.
 */
export interface JobContext {
  redis: Redis;
  settings: Settings;
  now: number;
  /** True for `POST /api/worker`: run even if the cadence says not yet. */
  forced: boolean;
  /** Renews the tick lock; long jobs call it between batches. */
  heartbeat: () => Promise<void>;
}

export interface JobResult {
  /** Counts of what the job did, e.g. {created: 1, reclaimed: 12}. */
  counts: Record<string, number>;
  /** Human-readable lines: what changed and why. */
  notes: string[];
  /** Redis commands the job issued (approximate, for cost reporting). */
  commands?: number;
}

export interface WorkerJob {
  name: string;
  cadenceMs: number;
  run(ctx: JobContext): Promise<JobResult>;
}
