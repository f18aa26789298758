import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";
import { getEnv } from "@/lib/env";
import { readTicks } from "@/lib/metrics/worker-ticks";
import { workerKeys } from "./keys";
import { INSTANCE_ID, readLock } from "./lock";
import { WORKER_JOBS } from "./jobs";
import type { WorkerFinding } from "./types";

/**
 * The expiry guard's findings from the most recent tick in which it ran (alerts read these:
 * `expiry-extended` is a warning, `expiry-cap-reached` critical, `missing-expiry` from rotation).
 */
export async function readLatestFindings(
  redis: RedisConnection,
): Promise<{ at: number; findings: WorkerFinding[] } | null> {
  for (const t of await readTicks(redis)) {
    const guard = t.jobs.find((j) => j.name === "expiry-guard" && j.ran && !j.error);
    if (guard) {
      const rotation = t.jobs.find((j) => j.name === "rotation" && j.ran);
      return { at: t.startedAt, findings: [...(guard.findings ?? []), ...(rotation?.findings ?? [])] };
    }
  }
  return null;
}

export const SCOPED_DETAILS_NOTE = "details hidden: they cover every stream and your access is limited to some";

/**
 * A tick as seen by a caller limited to some streams: findings of the streams it sees; counts,
 * notes and errors (which name any stream) replaced by one note saying they are hidden.
 */
export function scopeTick(tick: TickResult, visible: (stream: string) => boolean): TickResult {
  return {
    ...tick,
    jobs: tick.jobs.map((job) => {
      const { error, findings, ...rest } = job;
      const hidden = !!error || job.notes.length > 0 || Object.keys(job.counts).length > 0;
      const seen = findings?.filter((f) => visible(f.stream));
      return {
        ...rest,
        counts: {},
        notes: hidden ? [SCOPED_DETAILS_NOTE] : [],
        ...(seen ? { findings: seen } : {}),
        ...(error ? { error: "failed (details hidden)" } : {}),
      };
    }),
  };
}

export async function getWorkerStatus(redis: RedisConnection): Promise<WorkerStatus> {
  const env = getEnv();
  const [ticks, lock, lastRuns, scheduler] = await Promise.all([
    readTicks(redis),
    readLock(redis),
    redis.hgetall(workerKeys.lastRun()),
    redis.hgetall(workerKeys.scheduler()),
  ]);
  return {
    instance: INSTANCE_ID,
    ticks,
    lock,
    scheduler: {
      enabled: env.WORKER === "on",
      intervalMs: scheduler.intervalMs ? Number(scheduler.intervalMs) : env.WORKER_INTERVAL_MS,
      instance: scheduler.instance ?? null,
      nextTickAt: scheduler.nextAt ? Number(scheduler.nextAt) : null,
      lastError: scheduler.lastError || null,
    },
    jobs: WORKER_JOBS.map((j) => {
      const last = lastRuns[j.name] ? Number(lastRuns[j.name]) : null;
      return {
        name: j.name,
        cadenceMs: j.cadenceMs,
        lastRunAt: last,
        nextRunAt: last === null ? null : last + j.cadenceMs,
      };
    }),
  };
}

export { readTicks, readLastTick } from "@/lib/metrics/worker-ticks";
