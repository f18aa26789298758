import "server-only";
import { randomBytes } from "node:crypto";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  JOB_KEEP_MS,
  JOB_LEASE_MS,
  JOB_LIST_LIMIT,
  type JobAction,
  type JobDto,
  type JobStatus,
} from "@/lib/contract/jobs";
import { AppError, notFound } from "@/lib/errors";
import { log, safeErr } from "@/lib/log";
import { appKey } from "@/lib/redis/app-keys";
import { pipelineForKeys } from "@/lib/redis/keyspace";
import { toAppError } from "@/lib/redis/errors";
import type { BatchControl, Tally } from "./batches";

/**
 * Background bulk jobs. A job is one hash under the app prefix (`job:<id>`) and an entry in its
 * group's sorted set (by start time). The job runs in this process on the write connection; it
 * writes its counts once per round of batches (never per message), checks its cancel flag before
 * each round, and ends with one write of its outcome. Records expire JOB_KEEP_MS after the last write.
 */

export function jobKey(id: string): string {
  return appKey("job", id);
}

/** The group's job list; JSON keeps a stream and group name containing any separator apart. */
export function groupJobsKey(stream: string, group: string): string {
  return appKey("jobs", JSON.stringify([stream, group]));
}

/** Jobs a group's list keeps at most (older ones drop off the list). */
const LIST_KEEP = 100;

/** What a job runs: the same plan the synchronous action runs, with progress and a stop check. */
export interface JobWork {
  action: JobAction;
  stream: string;
  group: string;
  target: string;
  who: string;
  /** At most this many targets a second (recorded on the job; see runBatches). */
  pace?: number;
  /** The targets, counted as a dry run counts them. */
  count: () => Promise<number>;
  run: (control: BatchControl) => Promise<{ answer: object; tally: Tally & { stopped?: true } }>;
  /** After the outcome is written (audit, alert re-evaluation); its errors are logged. */
  onEnd?: (job: JobDto) => Promise<void>;
}

type StoredStatus = "running" | "cancelled" | "done" | "failed";

const num = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));

export function jobFromHash(id: string, h: Record<string, string>, now: number): JobDto | null {
  if (!h.action || !h.started) return null;
  const stored = (h.status ?? "running") as StoredStatus;
  const updated = num(h.updated) ?? 0;
  let status: JobStatus = stored;
  if (stored === "running") {
    if (now - updated > JOB_LEASE_MS) status = "interrupted";
    else if (h.cancel === "1") status = "cancelling";
  }
  let result: Record<string, unknown> | null = null;
  try {
    result = h.result ? (JSON.parse(h.result) as Record<string, unknown>) : null;
  } catch {
    result = null;
  }
  const ok = num(h.ok) ?? 0;
  const skipped = num(h.skipped) ?? 0;
  const deleted = num(h.deleted) ?? 0;
  return {
    id,
    action: h.action as JobAction,
    stream: h.stream ?? "",
    group: h.group ?? "",
    target: h.target ?? "",
    who: h.who ?? "",
    started: num(h.started) ?? 0,
    updated,
    ended: num(h.ended),
    total: num(h.total),
    done: ok + skipped + deleted,
    ok,
    skipped,
    deleted,
    status,
    result,
    error: h.error || null,
    ...(h.pace ? { pace: Number(h.pace) } : {}),
  };
}

/** The processes's running jobs, so that tests (and a shutdown) can wait for them. */
const running = new Map<string, Promise<void>>();

/** Resolves when the job, if it runs in this process, has ended (its outcome written). */
export function jobSettled(id: string): Promise<void> {
  return running.get(id) ?? Promise.resolve();
}

/** Creates the job record and starts the work in the background; answers the record at once. */
export async function startJob(redis: RedisConnection, work: JobWork, now = Date.now()): Promise<JobDto> {
  const id = randomBytes(10).toString("hex");
  const key = jobKey(id);
  const fields: Record<string, string | number> = {
    action: work.action,
    stream: work.stream,
    group: work.group,
    target: work.target,
    who: work.who,
    started: now,
    updated: now,
    ok: 0,
    skipped: 0,
    deleted: 0,
    status: "running",
    ...(work.pace ? { pace: work.pace } : {}),
  };
  const list = groupJobsKey(work.stream, work.group);
  // Two transactions, one per key (on a cluster they are in different slots): the record first,
  // so the list never names a job that was not written (listJobs drops ids whose record is gone).
  await redis.multi().hset(key, fields).pexpire(key, JOB_KEEP_MS).exec();
  await redis
    .multi()
    .zadd(list, now, id)
    .zremrangebyrank(list, 0, -(LIST_KEEP + 1))
    .pexpire(list, JOB_KEEP_MS)
    .exec();
  const done = runJob(redis, id, work).catch((err: unknown) => {
    log.error({ err: safeErr(err), job: id }, "background job bookkeeping failed");
  });
  running.set(id, done);
  void done.finally(() => running.delete(id));
  return jobFromHash(id, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])), now)!;
}

async function runJob(redis: RedisConnection, id: string, work: JobWork): Promise<void> {
  const key = jobKey(id);
  const write = (fields: Record<string, string | number>) =>
    redis.multi().hset(key, fields).pexpire(key, JOB_KEEP_MS).exec();
  let outcome: Record<string, string | number>;
  // Counting a very long PEL, or one slow round, must not pass for a dead instance.
  const heartbeat = setInterval(() => {
    redis.hset(key, "updated", Date.now()).catch(() => undefined);
  }, JOB_LEASE_MS / 3);
  heartbeat.unref();
  try {
    const total = await work.count();
    await write({ total, updated: Date.now() });
    const { answer, tally } = await work.run({
      pacePerSecond: work.pace,
      shouldStop: async () => (await redis.hget(key, "cancel")) === "1",
      onProgress: async (t) => {
        await write({ ok: t.ok, skipped: t.skipped, deleted: t.deleted, updated: Date.now() });
      },
    });
    const now = Date.now();
    outcome = {
      ok: tally.ok,
      skipped: tally.skipped,
      deleted: tally.deleted,
      status: tally.stopped ? "cancelled" : "done",
      result: JSON.stringify(answer),
      updated: now,
      ended: now,
    };
  } catch (err) {
    const known = toAppError(err);
    if (!(known instanceof AppError)) log.error({ err: safeErr(err), job: id }, "background job failed");
    const now = Date.now();
    outcome = {
      status: "failed",
      error: known instanceof AppError ? `${known.code}: ${known.message}` : "Internal error (logged on the server)",
      updated: now,
      ended: now,
    };
  } finally {
    clearInterval(heartbeat);
  }
  await write(outcome);
  if (work.onEnd) {
    const job = await getJob(redis, id);
    if (job)
      await work.onEnd(job).catch((err: unknown) => log.warn({ err: safeErr(err), job: id }, "job end hook failed"));
  }
}

export async function getJob(redis: RedisConnection, id: string, now = Date.now()): Promise<JobDto | null> {
  return jobFromHash(id, await redis.hgetall(jobKey(id)), now);
}

/** The group's most recent jobs, newest first (ids whose record expired drop off the list). */
export async function listJobs(
  redis: RedisConnection,
  stream: string,
  group: string,
  now = Date.now(),
  limit = JOB_LIST_LIMIT,
): Promise<JobDto[]> {
  const list = groupJobsKey(stream, group);
  const ids = await redis.zrevrange(list, 0, limit - 1);
  if (ids.length === 0) return [];
  const replies = await pipelineForKeys(
    redis,
    ids.map((id) => jobKey(id)),
    (pipe, key) => pipe.hgetall(key),
  );
  const jobs: JobDto[] = [];
  const gone: string[] = [];
  ids.forEach((id, i) => {
    const [err, h] = replies[i]?.[0] ?? [null, {}];
    const job = err ? null : jobFromHash(id, (h ?? {}) as Record<string, string>, now);
    if (job) jobs.push(job);
    else if (!err) gone.push(id);
  });
  if (gone.length > 0) await redis.zrem(list, ...gone);
  return jobs;
}

/**
 * Asks a running job to stop before its next round of batches (any instance running it reads the
 * flag). 404 for an unknown id, 409 when it has already ended.
 */
export async function cancelJob(redis: RedisConnection, id: string, now = Date.now()): Promise<JobDto> {
  const job = await getJob(redis, id, now);
  if (!job) throw notFound(`No job "${id}"`);
  if (job.status !== "running" && job.status !== "cancelling") {
    throw new AppError("CONFLICT", `Job "${id}" has already ended (${job.status})`);
  }
  await redis.multi().hset(jobKey(id), "cancel", "1").pexpire(jobKey(id), JOB_KEEP_MS).exec();
  return { ...job, status: "cancelling" };
}
