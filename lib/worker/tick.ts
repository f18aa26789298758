import "server-only";
import { randomBytes } from "node:crypto";
import type { RedisConnection } from "@/lib/redis/connection";
import { recordAudit } from "@/lib/audit/audit";
import { getAuth } from "@/lib/auth/config";
import { loadSettings, type Settings } from "@/lib/config/settings";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { WORKER_JOBS } from "./jobs";
import { workerKeys, TICK_HISTORY } from "./keys";
import { acquireWaiting, INSTANCE_ID, release, renew, type LockHandle } from "./lock";
import { tickStreamSource } from "./tick-streams";
import type { JobResult, WorkerJob } from "./types";
import type { JobRun, TickResult } from "@/lib/contract/worker";
import { errorText } from "@/lib/redis/errors";

/** Every job of a tick, in the order they run. */
export function allJobs(): WorkerJob[] {
  return [...WORKER_JOBS];
}

export const READ_ONLY_SKIP =
  "skipped: read-only mode (READ_ONLY=1 or auth.readOnly) changes nothing in the watched streams";

/** A job is due when its cadence has passed (with a little slack for timer drift). */
const CADENCE_SLACK_MS = 1000;

export interface TickOptions {
  redis: RedisConnection;
  now?: number;
  /** Run every job whatever its cadence (POST /api/worker). */
  forced?: boolean;
  instance?: string;
  /** Settings to use instead of loading them (tests). */
  settings?: Settings;
  /** Jobs to run instead of the registry (tests). */
  jobs?: readonly WorkerJob[];
  keyMatch?: string;
  lockTtlMs?: number;
  /** How long to wait for a running tick before answering busy. */
  waitMs?: number;
  pollMs?: number;
  /** Store the result in the tick history (default true). */
  record?: boolean;
}

export const DEFAULT_LOCK_TTL_MS = 20_000;
export const DEFAULT_WAIT_MS = 30_000;

/**
 * One worker tick: takes the lock (waiting for a running tick, bounded), runs each due job in
 * order, records what each did. A job that throws is reported and retried next tick (its last
 * run is only recorded on success); the other jobs still run. Never overlaps another tick.
 */
export async function tick(opts: TickOptions): Promise<TickResult> {
  const { redis } = opts;
  const instance = opts.instance ?? INSTANCE_ID;
  const lockTtlMs = opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const requestedAt = Date.now();
  const acquired = await acquireWaiting(redis, {
    instance,
    ttlMs: lockTtlMs,
    waitMs: opts.waitMs ?? DEFAULT_WAIT_MS,
    pollMs: opts.pollMs ?? 250,
  });
  if (!acquired.lock) {
    return {
      id,
      instance,
      status: "busy",
      forced: !!opts.forced,
      startedAt: requestedAt,
      finishedAt: Date.now(),
      durationMs: Date.now() - requestedAt,
      waitedMs: acquired.waitedMs,
      message: `Another tick (held by ${acquired.holder ?? "an unknown instance"}) is still running after ${Math.round(acquired.waitedMs / 1000)} s; try again later`,
      jobs: [],
    };
  }
  const lock = acquired.lock;
  let lost = false;
  // The lease as this process last confirmed it: the lock is ours until then, unless lost earlier.
  let leaseEnd = lock.since + lockTtlMs;
  let renewedAt = Date.now();
  const renewEvery = Math.max(100, Math.floor(lockTtlMs / 3));
  const lostError = (why: string) => new Error(`worker lock lost (${why})`);
  const renewLease = async (): Promise<boolean> => {
    const sent = Date.now();
    if (!(await renew(redis, lock))) {
      lost = true;
      return false;
    }
    leaseEnd = Math.max(leaseEnd, sent + lockTtlMs);
    return true;
  };
  // Jobs call this before they write, often: it talks to Redis only when a renewal is due. It
  // throws once the lock is another's (taken after it expired, or after a failover lost it) or
  // once the last confirmed lease has run out, so a tick never writes past its lease.
  const heartbeat = async () => {
    if (lost) throw lostError("it expired, or another tick took it");
    if (Date.now() - renewedAt >= renewEvery) {
      renewedAt = Date.now();
      if (!(await renewLease())) throw lostError("it expired, or another tick took it");
    }
    if (Date.now() >= leaseEnd) {
      lost = true;
      throw lostError(`no renewal confirmed within the lease of ${lockTtlMs} ms`);
    }
  };
  // Also renewed on a timer, for a job stuck in one long command between heartbeats.
  const timer = setInterval(() => {
    renewedAt = Date.now();
    renewLease().catch(() => undefined);
  }, renewEvery);
  timer.unref?.();
  try {
    return await runJobs(opts, { id, instance, lock, heartbeat, waitedMs: acquired.waitedMs });
  } finally {
    clearInterval(timer);
    await release(redis, lock).catch((err: unknown) => log.warn({ err }, "worker: could not release the lock"));
  }
}

async function runJobs(
  opts: TickOptions,
  t: { id: string; instance: string; lock: LockHandle; heartbeat: () => Promise<void>; waitedMs: number },
): Promise<TickResult> {
  const { redis } = opts;
  const startedAt = Date.now();
  const now = opts.now ?? startedAt;
  const forced = !!opts.forced;
  const jobs = opts.jobs ?? allJobs();
  let settings: Settings;
  try {
    settings = opts.settings ?? (await loadSettings(redis));
  } catch (err) {
    // A broken config file names its bad key: show that on the worker page instead of crashing.
    const message = errorText(err);
    const result: TickResult = {
      id: t.id,
      instance: t.instance,
      status: "error",
      forced,
      startedAt,
      finishedAt: Date.now(),
      durationMs: Date.now() - startedAt,
      waitedMs: t.waitedMs,
      message: `Settings could not be loaded: ${message}`,
      jobs: [],
    };
    if (opts.record !== false) await recordTick(redis, result);
    return result;
  }
  const lastRuns = await redis.hgetall(workerKeys.lastRun());
  const readOnly = getAuth().readOnly;
  const keyMatch = opts.keyMatch ?? getEnv().WORKER_MATCH;
  const streams = tickStreamSource(redis, settings, { cursor: "tick", match: keyMatch ?? "*", now });
  const runs: JobRun[] = [];
  const earlier: Record<string, JobResult> = {};
  for (const job of jobs) {
    const lastRunAt = lastRuns[job.name] ? Number(lastRuns[job.name]) : null;
    const due = forced || lastRunAt === null || now - lastRunAt >= job.cadenceMs - CADENCE_SLACK_MS;
    if (!due) {
      runs.push({
        name: job.name,
        ran: false,
        counts: {},
        notes: [],
        durationMs: 0,
        nextRunAt: lastRunAt! + job.cadenceMs,
      });
      continue;
    }
    if (readOnly && job.changesStreams) {
      runs.push({
        name: job.name,
        ran: false,
        skipped: READ_ONLY_SKIP,
        counts: {},
        notes: [],
        durationMs: 0,
        nextRunAt: now + job.cadenceMs,
      });
      continue;
    }
    const jobStart = Date.now();
    try {
      await t.heartbeat();
      const result = await job.run({
        redis,
        settings,
        now,
        forced,
        heartbeat: t.heartbeat,
        keyMatch,
        earlier,
        streams,
      });
      earlier[job.name] = result;
      await redis.hset(workerKeys.lastRun(), job.name, String(now));
      runs.push({
        name: job.name,
        ran: true,
        ...result,
        durationMs: Date.now() - jobStart,
        nextRunAt: now + job.cadenceMs,
      });
    } catch (err) {
      const message = errorText(err);
      log.warn({ err: message, job: job.name }, "worker job failed");
      runs.push({
        name: job.name,
        ran: true,
        counts: {},
        notes: [],
        error: message,
        durationMs: Date.now() - jobStart,
        nextRunAt: now,
      });
      if (/lock lost/.test(message)) break;
    }
  }
  const finishedAt = Date.now();
  const result: TickResult = {
    id: t.id,
    instance: t.instance,
    status: runs.some((r) => r.error) ? "error" : "ok",
    forced,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
    waitedMs: t.waitedMs,
    jobs: runs,
  };
  if (opts.record !== false) {
    await recordTick(redis, result);
    await auditWorkerChanges(redis, runs, finishedAt);
  }
  return result;
}

/** Counts that mean the worker changed data (as opposed to what it looked at). */
const CHANGE_COUNTS = [
  "streamsCreated",
  "groupsCreated",
  "expirySet",
  "lateProducerFixed",
  "extended",
  "reassigned",
  "requeued",
  "deadLettered",
  "deleted",
  "entriesRemoved",
  "handedOver",
  "consumersDeleted",
] as const;

/** One audit entry (actor `worker`) per job that changed something, with what it did. */
async function auditWorkerChanges(redis: RedisConnection, runs: readonly JobRun[], time: number): Promise<void> {
  for (const run of runs) {
    if (!run.ran) continue;
    const changed = CHANGE_COUNTS.filter((c) => (run.counts[c] ?? 0) > 0);
    if (changed.length === 0 && !run.error) continue;
    await recordAudit(
      {
        time,
        who: "worker",
        role: null,
        method: "worker",
        ip: "",
        userAgent: "",
        action: `worker.${run.name}`,
        filter: JSON.stringify({ counts: run.counts, notes: run.notes.slice(0, 10) }),
        // The reaper's consumersDeleted counts consumers, not messages: it makes an entry, not `touched`.
        touched: changed.filter((c) => c !== "consumersDeleted").reduce((sum, c) => sum + (run.counts[c] ?? 0), 0),
        result: run.error ? "error" : "ok",
        status: run.error ? 500 : 200,
        ...(run.error ? { reason: run.error } : {}),
      },
      redis,
    );
  }
}

export async function recordTick(redis: RedisConnection, result: TickResult): Promise<void> {
  await redis
    .multi()
    .lpush(workerKeys.ticks(), JSON.stringify(result))
    .ltrim(workerKeys.ticks(), 0, TICK_HISTORY - 1)
    .exec();
}
