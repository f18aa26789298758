import { describe, expect, it } from "vitest";
import { POST as reapPOST } from "@/app/api/streams/[key]/groups/[group]/reap/route";
import { GET as listGET } from "@/app/api/streams/[key]/groups/[group]/jobs/route";
import { GET as jobGET } from "@/app/api/jobs/[id]/route";
import { POST as cancelPOST } from "@/app/api/jobs/[id]/cancel/route";
import { jobSettled } from "@/lib/actions/jobs";
import { readAudit } from "@/lib/audit/audit";
import type { JobListResponse, JobResponse } from "@/lib/contract/jobs";
import { REAP_CONSUMERS_PER_CALL } from "@/lib/contract/reap";
import { seedLeakyGroup } from "@/scripts/lib/leaked-consumers";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { TEAM_TOKENS, tokenCallers, type ErrorRes } from "../helpers/token-caller";

const redis = testRedis();
const prefix = uniquePrefix("reapjob");
const { call } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  tokens: TEAM_TOKENS,
});

let n = 0;
const key = () => `${prefix}s${++n}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LEAKED = 30_000;

/** "worker" owns 5 pending messages; LEAKED consumers own nothing and are idle over 2 s. */
async function leakyGroup(stream: string): Promise<void> {
  await seedLeakyGroup(redis, stream, { messages: 5, owners: [["worker", 5]], leaked: LEAKED, firstLeaked: 0 });
  await sleep(2100);
}

// `to: "worker"` keeps the worker out of the candidates however slow the machine (on 7.0 its
// inactive time grows from its last read).
const body = { idleMs: 2000, to: "worker", bulk: true, background: true };

describe("bulk reap as a background job", () => {
  it("reaps 30,000 idle empty consumers call after call; the worker and its messages stay", async () => {
    const s = key();
    await leakyGroup(s);
    const started = await call<JobResponse>(reapPOST, { key: s, group: "g" }, "alice", body);
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ action: "reap", stream: s, group: "g", status: "running" });
    await jobSettled(started.body.job.id);
    const job = (await call<JobResponse>(jobGET, { id: started.body.job.id }, "bob")).body.job;
    expect(job).toMatchObject({ status: "done", total: LEAKED, done: LEAKED, ok: LEAKED, skipped: 0, deleted: 0 });
    expect(job.result).toEqual({
      policy: "hand-over",
      deleted: LEAKED,
      kept: 0,
      handedOver: 0,
      requeued: 0,
      to: "worker",
      calls: LEAKED / REAP_CONSUMERS_PER_CALL,
      more: false,
    });
    const consumers = (await redis.xinfo("CONSUMERS", s, "g")) as unknown[][];
    expect(consumers.map((r) => [r[1], r[3]])).toEqual([["worker", 5]]);
    const pending = (await redis.xpending(s, "g", "-", "+", 100)) as [string, string][];
    expect(pending.map((p) => p[1])).toEqual(Array.from({ length: 5 }, () => "worker"));
    // The group's jobs list shows it; its end is audited with the count.
    const list = await call<JobListResponse>(listGET, { key: s, group: "g" }, "viewer");
    expect(list.body.jobs.map((j) => j.id)).toEqual([job.id]);
    const audit = await readAudit(redis, { action: "group.reap", stream: s });
    expect(audit.entries.find((e) => e.job === job.id)).toMatchObject({
      who: "token:alice",
      // Consumers deleted are not messages: none was handed over or requeued.
      touched: 0,
      filter: '{"policy":"hand-over"}',
      result: "ok",
    });
    expect(audit.entries.find((e) => e.status === 202)).toMatchObject({ who: "token:alice", result: "ok" });
  }, 120_000);

  it("stops when cancelled: cancelled, no more deleted than counted, the rest left", async () => {
    const s = key();
    await leakyGroup(s);
    const started = await call<JobResponse>(reapPOST, { key: s, group: "g" }, "alice", body);
    expect(started.status).toBe(202);
    const id = started.body.job.id;
    expect((await call<JobResponse>(cancelPOST, { id }, "bob", {})).status).toBe(200);
    await jobSettled(id);
    const job = (await call<JobResponse>(jobGET, { id }, "alice")).body.job;
    expect(job.status).toBe("cancelled");
    expect(job.total).toBe(LEAKED);
    expect(job.ok).toBeLessThan(LEAKED);
    const left = ((await redis.xinfo("CONSUMERS", s, "g")) as unknown[][]).length;
    expect(left).toBe(LEAKED + 1 - job.ok);
  }, 120_000);

  it("403 for a viewer, 400 for background without bulk; a dry run with background answers at once", async () => {
    const s = key();
    await redis.xgroup("CREATE", s, "g", "0", "MKSTREAM");
    await redis.xgroup("CREATECONSUMER", s, "g", "idle");
    const denied = await call<ErrorRes>(reapPOST, { key: s, group: "g" }, "viewer", body);
    expect(denied.status).toBe(403);
    const noBulk = await call<ErrorRes>(reapPOST, { key: s, group: "g" }, "alice", {
      idleMs: 2000,
      background: true,
    });
    expect(noBulk.status).toBe(400);
    expect(noBulk.body.error.message).toContain("background");
    const dry = await call<{ dryRun: boolean }>(reapPOST, { key: s, group: "g" }, "alice", {
      idleMs: 2000,
      bulk: true,
      background: true,
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(await redis.xinfo("CONSUMERS", s, "g")).toHaveLength(1);
  });
});
