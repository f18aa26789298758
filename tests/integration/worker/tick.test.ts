import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { reclaimJob } from "@/lib/worker/jobs/reclaim";
import { workerKeys } from "@/lib/worker/keys";
import { readLastTick, readLatestFindings, readTicks } from "@/lib/worker/status";
import { tick } from "@/lib/worker/tick";
import type { WorkerJob } from "@/lib/worker/types";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
const other = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
afterAll(() => other.quit());
withAppPrefix("tick");

const noSettings = settingsFrom({});

function recorder(
  name: string,
  log: { job: string; event: string; at: number }[],
  ms = 200,
  cadenceMs = 60_000,
): WorkerJob {
  return {
    name,
    cadenceMs,
    async run() {
      log.push({ job: name, event: "start", at: performance.now() });
      await sleep(ms);
      log.push({ job: name, event: "end", at: performance.now() });
      return { counts: { ran: 1 }, notes: [] };
    },
  };
}

describe("tick", () => {
  it("two ticks at once (two connections, two instances) never overlap and handle no message twice", async () => {
    const p = uniquePrefix("tick");
    const key = `${p}s`;
    for (let i = 0; i < 20; i++) await redis.xadd(key, "*", "n", String(i));
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "crashed", "COUNT", 20, "STREAMS", key, ">");
    await sleep(1100);
    // The second tick runs well within 1 s of the first: a message it reclaimed is not stuck again.
    const settings = settingsFrom({
      groups: [{ stream: `${p}*`, stuckAfterMs: 1000, policy: "reassign", reassignTo: "rescuer" }],
    });
    const log: { job: string; event: string; at: number }[] = [];
    const jobs = [recorder("before", log), reclaimJob, recorder("after", log)];
    const [a, b] = await Promise.all([
      tick({ redis, instance: "A", forced: true, settings, jobs, keyMatch: `${p}*`, record: false }),
      tick({ redis: other, instance: "B", forced: true, settings, jobs, keyMatch: `${p}*`, record: false }),
    ]);
    expect([a.status, b.status]).toEqual(["ok", "ok"]);
    // Each tick's jobs form one block: start/end pairs never interleave across ticks.
    const events = log.map((e) => e.event);
    expect(events).toEqual(["start", "end", "start", "end", "start", "end", "start", "end"]);
    const first = a.startedAt <= b.startedAt ? a : b;
    const second = first === a ? b : a;
    expect(second.startedAt).toBeGreaterThanOrEqual(first.finishedAt);
    expect(second.waitedMs).toBeGreaterThan(0);
    const reassigned = [a, b].map((t) => t.jobs.find((j) => j.name === "reclaim")!.counts.reassigned);
    expect(reassigned.sort()).toEqual([0, 20]);
  });

  it("answers busy when another tick holds the lock past the wait bound", async () => {
    await redis.set(workerKeys.lock(), "elsewhere|x", "PX", 5000);
    try {
      const res = await tick({
        redis,
        instance: "A",
        forced: true,
        settings: noSettings,
        jobs: [],
        waitMs: 300,
        pollMs: 50,
      });
      expect(res.status).toBe("busy");
      expect(res.message).toMatch(/elsewhere/);
    } finally {
      await redis.del(workerKeys.lock());
    }
  });

  it("a tick that died holding the lock is completed by the next one after the lock expires", async () => {
    // A dead instance: took the lock and never released it.
    await redis.set(workerKeys.lock(), "dead|x", "PX", 700);
    const log: { job: string; event: string; at: number }[] = [];
    const res = await tick({
      redis,
      instance: "A",
      forced: true,
      settings: noSettings,
      jobs: [recorder("work", log, 10)],
      waitMs: 5000,
      pollMs: 50,
    });
    expect(res.status).toBe("ok");
    expect(res.waitedMs).toBeGreaterThan(0);
    expect(log.map((e) => e.event)).toEqual(["start", "end"]);
  });

  it("a job that throws half-way is reported, the others still run, and the next tick redoes it", async () => {
    const p = uniquePrefix("tick");
    const done = `${p}done`;
    let crash = true;
    const halfway: WorkerJob = {
      name: "halfway",
      cadenceMs: 60_000,
      async run(ctx) {
        await ctx.redis.sadd(done, "a");
        if (crash) throw new Error("died half-way");
        await ctx.redis.sadd(done, "b");
        return { counts: { done: 2 }, notes: [] };
      },
    };
    const log: { job: string; event: string; at: number }[] = [];
    const now = Date.now();
    const first = await tick({ redis, now, settings: noSettings, jobs: [halfway, recorder("next", log, 1)] });
    expect(first.status).toBe("error");
    expect(first.jobs[0]).toMatchObject({ name: "halfway", error: "died half-way" });
    expect(first.jobs[1]).toMatchObject({ name: "next", ran: true });
    crash = false;
    const second = await tick({
      redis,
      now: now + 1000,
      settings: noSettings,
      jobs: [halfway, recorder("next", log, 1)],
    });
    expect(second.jobs.map((j) => [j.name, j.ran])).toEqual([
      ["halfway", true],
      ["next", false],
    ]);
    expect((await redis.smembers(done)).sort()).toEqual(["a", "b"]);
    expect((await readLastTick(redis))?.id).toBe(second.id);
  });

  it("runs each job at its own cadence unless forced", async () => {
    const log: { job: string; event: string; at: number }[] = [];
    const jobs = [recorder("fast", log, 1, 10_000), recorder("slow", log, 1, 60_000)];
    await redis.del(workerKeys.lastRun());
    const t0 = Date.now();
    const ran = async (now: number, forced = false) =>
      (await tick({ redis, now, forced, settings: noSettings, jobs, record: false })).jobs
        .filter((j) => j.ran)
        .map((j) => j.name);
    expect(await ran(t0)).toEqual(["fast", "slow"]);
    expect(await ran(t0 + 5_000)).toEqual([]);
    expect(await ran(t0 + 10_000)).toEqual(["fast"]);
    expect(await ran(t0 + 11_000, true)).toEqual(["fast", "slow"]);
  });

  it("keeps the lock alive with a heartbeat while a long job runs", async () => {
    const log: { job: string; event: string; at: number }[] = [];
    const long = tick({
      redis,
      instance: "A",
      forced: true,
      settings: noSettings,
      jobs: [recorder("long", log, 3000)],
      lockTtlMs: 1000,
      record: false,
    });
    // Past the lock's TTL: only the heartbeat keeps it (a TTL far above the beat's period, for a busy machine).
    await sleep(1500);
    const meanwhile = await tick({
      redis: other,
      instance: "B",
      forced: true,
      settings: noSettings,
      jobs: [],
      waitMs: 200,
      pollMs: 50,
      record: false,
    });
    expect(meanwhile.status).toBe("busy");
    expect((await long).status).toBe("ok");
  });

  it("keeps the last ticks and exposes the guard's findings", async () => {
    const findingJob: WorkerJob = {
      name: "expiry-guard",
      cadenceMs: 0,
      async run() {
        return {
          counts: {},
          notes: [],
          findings: [
            { kind: "expiry-cap-reached", severity: "critical", stream: "s", message: "m", messagesAtRisk: 3 },
          ],
        };
      },
    };
    for (let i = 0; i < 52; i++)
      await tick({ redis, forced: true, settings: noSettings, jobs: i === 0 ? [findingJob] : [] });
    expect(await readTicks(redis)).toHaveLength(50);
    await tick({ redis, forced: true, settings: noSettings, jobs: [findingJob] });
    expect((await readLatestFindings(redis))?.findings).toEqual([
      expect.objectContaining({ kind: "expiry-cap-reached", messagesAtRisk: 3 }),
    ]);
  });
});

describe("tick with a broken config file", () => {
  it("reports the config error naming the key instead of running jobs", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { resetProcessState } = await import("@/lib/runtime/state");
    const file = join(mkdtempSync(join(tmpdir(), "ss-bad-")), "config.json");
    writeFileSync(
      file,
      JSON.stringify({
        worker: { guardWindowMs: "ten minutes" },
        families: [{ name: "x", pattern: "x_<yyyyMMdd>", ttl: 5 }],
      }),
    );
    process.env.STREAMSCOPE_CONFIG = file;
    resetProcessState();
    try {
      const res = await tick({ redis, forced: true });
      expect(res.status).toBe("error");
      expect(res.jobs).toEqual([]);
      expect(res.message).toMatch(/worker\.guardWindowMs/);
      expect(res.message).toMatch(/unknown key families\.0\.ttl/);
      expect((await readLastTick(redis))?.message).toBe(res.message);
    } finally {
      delete process.env.STREAMSCOPE_CONFIG;
      resetProcessState();
    }
  });
});
