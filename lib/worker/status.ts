import "server-only";
import type Redis from "ioredis";
import type { TickResult, WorkerStatus } from "@/lib/api/worker-types";
import { getEnv } from "@/lib/env";
import { workerKeys, TICK_HISTORY } from "./keys";
import { INSTANCE_ID, readLock } from "./lock";
import { allJobs } from "./tick";
import type { WorkerFinding } from "./types";

function parseTick(raw: string): TickResult | null {
  try {
    return JSON.parse(raw) as TickResult;
  } catch {
    return null;
  }
}

/** The last ticks, newest first (at most TICK_HISTORY). */
export async function readTicks(redis: Redis, limit = TICK_HISTORY): Promise<TickResult[]> {
  const raw = await redis.lrange(workerKeys.ticks(), 0, Math.min(limit, TICK_HISTORY) - 1);
  return raw.map(parseTick).filter((t): t is TickResult => t !== null);
}

export async function readLastTick(redis: Redis): Promise<TickResult | null> {
  return (await readTicks(redis, 1))[0] ?? null;
}

/**
 * The expiry guard's findings from the most recent tick in which it ran (alerts read these:
 * `expiry-extended` is a warning, `expiry-cap-reached` critical, `missing-expiry` from rotation).
 */
export async function readLatestFindings(redis: Redis): Promise<{ at: number; findings: WorkerFinding[] } | null> {
  for (const t of await readTicks(redis)) {
    const guard = t.jobs.find((j) => j.name === "expiry-guard" && j.ran && !j.error);
    if (guard) {
      const rotation = t.jobs.find((j) => j.name === "rotation" && j.ran);
      return { at: t.startedAt, findings: [...(guard.findings ?? []), ...(rotation?.findings ?? [])] };
    }
  }
  return null;
}

export async function getWorkerStatus(redis: Redis): Promise<WorkerStatus> {
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
    jobs: allJobs().map((j) => {
      const last = lastRuns[j.name] ? Number(lastRuns[j.name]) : null;
      return { name: j.name, cadenceMs: j.cadenceMs, lastRunAt: last, nextRunAt: last === null ? null : last + j.cadenceMs };
    }),
  };
}
