/**
 * Bulk actions as background jobs: the 202 answer, progress, cancel between batches with every
 * message accounted for, two operators seeing one job, interrupted jobs, errors, audit and scope.
 */
import { describe, expect, it } from "vitest";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { POST as deadLetterPOST } from "@/app/api/streams/[key]/groups/[group]/dead-letter/route";
import { GET as listGET } from "@/app/api/streams/[key]/groups/[group]/jobs/route";
import { GET as jobGET } from "@/app/api/jobs/[id]/route";
import { POST as cancelPOST } from "@/app/api/jobs/[id]/cancel/route";
import { getJob, jobKey, jobSettled, startJob } from "@/lib/actions/jobs";
import { AppError } from "@/lib/errors";
import { runBatches, targetPages, type Tally } from "@/lib/actions/batches";
import { planAck } from "@/lib/actions/pending-actions";
import { readAudit } from "@/lib/audit/audit";
import type { JobListResponse, JobResponse } from "@/lib/contract/jobs";
import type { AckResponse } from "@/lib/contract/pending";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { TEAM_TOKENS, tokenCallers, type ErrorRes } from "../helpers/token-caller";
import { seedPending } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("jobs");
const { call } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  tokens: {
    ...TEAM_TOKENS,
    scoped: { token: "tok-scoped-orders-0123456789abcdef0123", role: "operator", streams: [`${prefix}orders_*`] },
  },
});

let n = 0;
const key = (name = "orders") => `${prefix}${name}_${++n}`;

async function waitEnded(id: string): Promise<JobResponse["job"]> {
  await jobSettled(id);
  const res = await call<JobResponse>(jobGET, { id }, "alice");
  expect(res.status).toBe(200);
  return res.body.job;
}

describe("background bulk jobs", () => {
  it("answers 202 at once and ends with the same counts as the synchronous action", async () => {
    const a = key();
    const b = key();
    await seedPending(redis, a, { n: 3000 });
    await seedPending(redis, b, { n: 3000 });
    const sync = await call<AckResponse>(ackPOST, { key: b, group: "g" }, "alice", { filter: {} });
    expect(sync.status).toBe(200);
    expect(sync.body).toEqual({ acked: 3000, skipped: 0 });

    const started = await call<JobResponse>(ackPOST, { key: a, group: "g" }, "alice", {
      filter: {},
      background: true,
    });
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({
      action: "ack",
      stream: a,
      group: "g",
      who: "token:alice",
      status: "running",
    });
    expect(started.body.job.target).toBe("filter {}");
    const job = await waitEnded(started.body.job.id);
    expect(job).toMatchObject({ status: "done", total: 3000, done: 3000, ok: 3000, skipped: 0 });
    expect(job.result).toEqual(sync.body);
    expect(job.ended).not.toBeNull();
    expect(await redis.xpending(a, "g")).toEqual(await redis.xpending(b, "g"));
    // The record expires (24 h), as does the group's list.
    expect(await redis.pttl(jobKey(job.id))).toBeGreaterThan(23 * 3600_000);
  });

  it("runs an ids action in the background too (counts, no per-id items)", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 1500 });
    const started = await call<JobResponse>(ackPOST, { key: s, group: "g" }, "alice", {
      ids: [...ids.slice(0, 1200), "1-1"],
      background: true,
    });
    expect(started.status).toBe(202);
    expect(started.body.job.target).toBe("1,201 ids");
    const job = await waitEnded(started.body.job.id);
    expect(job).toMatchObject({ status: "done", total: 1201, done: 1201, result: { acked: 1200, skipped: 1 } });
    expect(Number((await redis.xpending(s, "g"))[0])).toBe(300);
  });

  it("a dry run stays synchronous; a bad body is a 400 in the one error shape", async () => {
    const s = key();
    await seedPending(redis, s, { n: 5 });
    const dry = await call(ackPOST, { key: s, group: "g" }, "alice", { filter: {}, dryRun: true, background: true });
    expect(dry).toMatchObject({ status: 200, body: { dryRun: true, matched: 5 } });
    const bad = await call<ErrorRes>(ackPOST, { key: s, group: "g" }, "alice", { filter: {}, background: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("BAD_REQUEST");
  });

  it("two operators see the same running job; a cancel stops it between batches with nothing lost", async () => {
    const s = key();
    const total = 20_000;
    await seedPending(redis, s, { n: total });
    const started = await call<JobResponse>(ackPOST, { key: s, group: "g" }, "alice", {
      filter: {},
      background: true,
    });
    const id = started.body.job.id;
    const seen = await call<JobListResponse>(listGET, { key: s, group: "g" }, "bob");
    expect(seen.status).toBe(200);
    expect(seen.body.jobs.map((j) => [j.id, j.status, j.who])).toEqual([[id, "running", "token:alice"]]);

    const cancel = await call<JobResponse>(cancelPOST, { id }, "bob", {});
    expect(cancel.status).toBe(200);
    expect(cancel.body.job.status).toBe("cancelling");
    const job = await waitEnded(id);
    expect(job.status).toBe("cancelled");
    const left = Number((await redis.xpending(s, "g"))[0]);
    // Conservation: each message is either acked (counted by the job) or still pending.
    expect(left).toBeGreaterThan(0);
    expect(Number(job.result?.acked) + left).toBe(total);
    expect(job.done).toBe(total - left);
    expect(job.result).toEqual({ acked: job.ok, skipped: 0 });

    const again = await call<ErrorRes>(cancelPOST, { id }, "bob", {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");

    const audit = await readAudit(redis, { action: "pending.ack", stream: s });
    const end = audit.entries.find((e) => e.job === id);
    expect(end).toMatchObject({ who: "token:alice", group: "g", touched: job.ok, result: "ok", reason: "CANCELLED" });
    expect(end?.filter).toBe("{}");
    const cancels = await readAudit(redis, { action: "job.cancel" });
    expect(cancels.entries.some((e) => e.who === "token:bob" && e.result === "ok")).toBe(true);
  });

  it("a paced job runs no faster than its pace, records it, and a cancel stops it with nothing lost", async () => {
    const s = key();
    const total = 3000;
    await seedPending(redis, s, { n: total });
    const refused = await call<ErrorRes>(ackPOST, { key: s, group: "g" }, "alice", { filter: {}, pacePerSecond: 1000 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/background: true/);

    const started = await call<JobResponse>(ackPOST, { key: s, group: "g" }, "alice", {
      filter: {},
      background: true,
      pacePerSecond: 1000,
    });
    expect(started.status).toBe(202);
    expect(started.body.job.pace).toBe(1000);
    const id = started.body.job.id;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const running = await call<JobResponse>(jobGET, { id }, "alice");
    expect(running.body.job).toMatchObject({ status: "running", pace: 1000 });
    expect(running.body.job.ok).toBeLessThan(total);
    expect(Number((await redis.xpending(s, "g"))[0])).toBeGreaterThan(0);

    expect((await call<JobResponse>(cancelPOST, { id }, "alice", {})).status).toBe(200);
    const job = await waitEnded(id);
    expect(job).toMatchObject({ status: "cancelled", pace: 1000 });
    const left = Number((await redis.xpending(s, "g"))[0]);
    expect(left).toBeGreaterThan(0);
    expect(Number(job.result?.acked) + left).toBe(total);
    expect(await redis.hget(jobKey(id), "pace")).toBe("1000");
  });

  it("stopping between batches: each round is whole, progress is reported once per round", async () => {
    const s = key();
    await seedPending(redis, s, { n: 5000 });
    const plan = await planAck(redis, s, "g", { filter: {} });
    const reports: number[] = [];
    let rounds = 0;
    const tally: Tally & { stopped?: true } = await runBatches(
      targetPages(redis, s, "g", plan.targets),
      plan.script,
      false,
      {
        shouldStop: () => rounds++ >= 2,
        onProgress: (t) => {
          reports.push(t.ok);
        },
      },
    );
    expect(tally.stopped).toBe(true);
    expect(reports).toEqual([1000, 2000]);
    expect(tally.ok).toBe(2000);
    expect(Number((await redis.xpending(s, "g"))[0])).toBe(3000);
  });

  it("the audit entry of a finished job carries its final counts and the request's fields", async () => {
    const s = key();
    await seedPending(redis, s, { n: 700 });
    const started = await call<JobResponse>(deadLetterPOST, { key: s, group: "g" }, "alice", {
      filter: { consumer: "c1" },
      background: true,
    });
    expect(started.status).toBe(202);
    const job = await waitEnded(started.body.job.id);
    expect(job.result).toEqual({ moved: 700, skipped: 0, target: `${s}:dlq` });
    expect(await redis.xlen(`${s}:dlq`)).toBe(700);
    const audit = await readAudit(redis, { action: "pending.dead-letter", stream: s });
    const start = audit.entries.find((e) => e.status === 202);
    const end = audit.entries.find((e) => e.job === job.id);
    expect(start).toMatchObject({ who: "token:alice", touched: null, result: "ok" });
    expect(end).toMatchObject({
      who: "token:alice",
      touched: 700,
      result: "ok",
      status: 200,
      filter: '{"consumer":"c1"}',
    });
    expect(end?.reason).toBeUndefined();
  });

  it("a job whose work throws ends as failed with the error recorded (no unhandled rejection)", async () => {
    const s = key();
    const ended: string[] = [];
    const job = await startJob(redis, {
      action: "ack",
      stream: s,
      group: "g",
      target: "filter {}",
      who: "alice",
      count: async () => 1000,
      run: async (control) => {
        await control.onProgress?.({ ok: 500, skipped: 0, deleted: 0 });
        throw new AppError("NOT_FOUND", "No group g");
      },
      onEnd: async (j) => {
        ended.push(j.status);
      },
    });
    await jobSettled(job.id);
    expect(await getJob(redis, job.id)).toMatchObject({
      status: "failed",
      done: 500,
      total: 1000,
      error: "NOT_FOUND: No group g",
    });
    expect(ended).toEqual(["failed"]);
  });

  it("a running job that stopped reporting shows as interrupted, and cannot be cancelled", async () => {
    const s = key();
    const id = "deadbeefdeadbeef0001";
    const old = Date.now() - 60_000;
    await redis.hset(jobKey(id), {
      action: "ack",
      stream: s,
      group: "g",
      target: "filter {}",
      who: "token:alice",
      started: old - 1000,
      updated: old,
      total: 100,
      ok: 40,
      skipped: 0,
      deleted: 0,
      status: "running",
    });
    const res = await call<JobResponse>(jobGET, { id }, "bob");
    expect(res.body.job).toMatchObject({ status: "interrupted", done: 40, total: 100 });
    const cancel = await call<ErrorRes>(cancelPOST, { id }, "bob", {});
    expect(cancel.status).toBe(409);
  });

  it("404 for an unknown job, 400 for a malformed id, 403 for a viewer cancelling", async () => {
    expect((await call<ErrorRes>(jobGET, { id: "0123456789abcdef0000" }, "alice")).status).toBe(404);
    const unknown = await call<ErrorRes>(cancelPOST, { id: "0123456789abcdef0000" }, "alice", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("NOT_FOUND");
    expect((await call<ErrorRes>(jobGET, { id: "NOT/AN/ID" }, "alice")).status).toBe(400);
    expect((await call<ErrorRes>(cancelPOST, { id: "0123456789abcdef0000" }, "viewer", {})).status).toBe(403);
  });

  it("a caller limited to some streams sees only jobs of its streams", async () => {
    const theirs = key("payments");
    await seedPending(redis, theirs, { n: 10 });
    const started = await call<JobResponse>(ackPOST, { key: theirs, group: "g" }, "alice", {
      filter: {},
      background: true,
    });
    const id = started.body.job.id;
    await jobSettled(id);
    expect((await call(jobGET, { id }, "scoped")).status).toBe(404);
    expect((await call(cancelPOST, { id }, "scoped", {})).status).toBe(404);
    expect((await call(listGET, { key: theirs, group: "g" }, "scoped")).status).toBe(404);
    expect((await call(jobGET, { id }, "viewer")).status).toBe(200);
  });
});
