import { describe, expect, it } from "vitest";
import { reclaimJob } from "@/lib/worker/jobs/reclaim";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("reclaim");

/** A stream whose group has `n` messages delivered to `owner` (pending) and left idle. */
async function stuckStream(key: string, n: number, owner = "crashed", groups = ["g"]) {
  for (let i = 0; i < n; i++) await redis.xadd(key, "*", "n", String(i));
  for (const g of groups) {
    await redis.xgroup("CREATE", key, g, "0");
    await redis.xreadgroup("GROUP", g, owner, "COUNT", n, "STREAMS", key, ">");
  }
}

const run = (p: string, groups: unknown[], worker: Record<string, number> = {}) =>
  reclaimJob.run({
    redis,
    settings: settingsFrom({ groups, worker }),
    now: Date.now(),
    forced: true,
    heartbeat: async () => undefined,
    keyMatch: `${p}*`,
  });

async function pendingOf(key: string, group: string) {
  return ((await redis.call("XPENDING", key, group, "-", "+", 100)) as [string, string, number, number][]).map(
    ([id, consumer, , deliveries]) => ({ id, consumer, deliveries }),
  );
}

/** A consumer reading new messages (as a real one would): delivers the copies again. */
async function consume(key: string, group: string, consumer: string) {
  return redis.xreadgroup("GROUP", group, consumer, "COUNT", 100, "STREAMS", key, ">");
}

describe("reclaim", () => {
  it("alert only counts the stuck messages", async () => {
    const p = uniquePrefix("rc");
    await stuckStream(`${p}s`, 3);
    await sleep(150);
    const res = await run(p, [{ stream: `${p}*`, stuckAfterMs: 100, policy: "alert" }]);
    expect(res.counts).toMatchObject({ stuck: 3, reassigned: 0, requeued: 0, deadLettered: 0 });
    expect(res.notes.join()).toMatch(/3 stuck over 100 ms \(policy alert/);
    expect((await pendingOf(`${p}s`, "g")).every((e) => e.consumer === "crashed")).toBe(true);
  });

  it("writes the threshold in human units", async () => {
    const p = uniquePrefix("rh");
    const id = (await redis.xadd(`${p}s`, `${Date.now() - 60_000}-0`, "n", "1")) as string;
    await redis.xgroup("CREATE", `${p}s`, "g", "0");
    await redis.xreadgroup("GROUP", "g", "crashed", "COUNT", 1, "STREAMS", `${p}s`, ">");
    await redis.call("XCLAIM", `${p}s`, "g", "crashed", "0", id, "IDLE", "45000", "JUSTID");
    const res = await run(p, [{ stream: `${p}*`, stuckAfterMs: 30_000, policy: "alert" }]);
    expect(res.notes.join()).toContain("1 stuck over 30 s (policy alert");
  });

  it("reassign claims stuck messages to the live consumer with the fewest pending", async () => {
    const p = uniquePrefix("rc");
    const key = `${p}s`;
    await stuckStream(key, 5);
    await sleep(300);
    // Two live consumers (they just read): busy has two pending, idle one.
    for (let i = 0; i < 3; i++) await redis.xadd(key, "*", "n", `new${i}`);
    await redis.xreadgroup("GROUP", "g", "busy", "COUNT", 2, "STREAMS", key, ">");
    await redis.xreadgroup("GROUP", "g", "idle", "COUNT", 1, "STREAMS", key, ">");
    const res = await run(p, [{ stream: `${p}*`, stuckAfterMs: 250, policy: "reassign" }]);
    expect(res.counts.reassigned).toBe(5);
    const pel = await pendingOf(key, "g");
    expect(pel.filter((e) => e.consumer === "idle")).toHaveLength(6);
    expect(pel.filter((e) => e.consumer === "busy")).toHaveLength(2);
    expect(pel.filter((e) => e.consumer === "crashed")).toHaveLength(0);
  });

  it("reassign respects the per-tick bound, and reassignTo names the consumer", async () => {
    const p = uniquePrefix("rc");
    const key = `${p}s`;
    await stuckStream(key, 30);
    await sleep(150);
    const res = await run(p, [{ stream: `${p}*`, stuckAfterMs: 100, policy: "reassign", reassignTo: "rescuer" }], {
      reclaimBatch: 12,
    });
    expect(res.counts.reassigned).toBe(12);
    expect((await pendingOf(key, "g")).filter((e) => e.consumer === "rescuer")).toHaveLength(12);
  });

  it("requeue re-adds copies and acks the originals", async () => {
    const p = uniquePrefix("rc");
    const key = `${p}s`;
    await stuckStream(key, 2);
    await sleep(150);
    const res = await run(p, [{ stream: `${p}*`, stuckAfterMs: 100, policy: "requeue" }]);
    expect(res.counts.requeued).toBe(2);
    expect(await pendingOf(key, "g")).toEqual([]);
    expect(await redis.xlen(key)).toBe(4);
  });

  it("requeue on a stream with several groups does nothing unless allGroups", async () => {
    const p = uniquePrefix("rc");
    const key = `${p}s`;
    await stuckStream(key, 2, "crashed", ["a", "b"]);
    await sleep(150);
    const res = await run(p, [{ stream: `${p}*`, stuckAfterMs: 100, policy: "requeue" }]);
    expect(res.counts).toMatchObject({ requeued: 0, skippedMultiGroup: 4 });
    expect(res.notes.join()).toMatch(/allGroups/);
    expect(await redis.xlen(key)).toBe(2);
    const all = await run(p, [{ stream: `${p}*`, stuckAfterMs: 100, policy: "requeue", allGroups: true }]);
    expect(all.counts.requeued).toBe(4);
  });

  it("a message requeued again and again ends in the dead-letter stream after maxDeliveries", async () => {
    const p = uniquePrefix("rc");
    const key = `${p}s`;
    await stuckStream(key, 1);
    const rule = [{ stream: `${p}*`, stuckAfterMs: 100, policy: "requeue", maxDeliveries: 3 }];
    const outcomes: string[] = [];
    for (let round = 0; round < 5 && (await redis.xlen(`${key}:dlq`)) === 0; round++) {
      await sleep(150);
      const res = await run(p, rule);
      outcomes.push(res.counts.requeued ? "requeued" : res.counts.deadLettered ? "dead-lettered" : "none");
      await consume(key, "g", "crashed");
    }
    // Deliveries: 1 (original), 2 (first copy), 3 (second copy) -> dead-lettered.
    expect(outcomes).toEqual(["requeued", "requeued", "dead-lettered"]);
    expect(await redis.xlen(`${key}:dlq`)).toBe(1);
    expect(await pendingOf(key, "g")).toEqual([]);
  });

  it("reassign dead-letters a message delivered maxDeliveries times instead of claiming it", async () => {
    const p = uniquePrefix("rc");
    const key = `${p}s`;
    await stuckStream(key, 2);
    const first = (await redis.xrange(key, "-", "+", "COUNT", 1))[0]![0];
    await redis.call("XCLAIM", key, "g", "crashed", 0, first, "RETRYCOUNT", 4);
    await sleep(150);
    const res = await run(p, [
      {
        stream: `${p}*`,
        stuckAfterMs: 100,
        policy: "reassign",
        reassignTo: "r",
        maxDeliveries: 4,
        deadLetter: "<stream>:dead",
      },
    ]);
    expect(res.counts).toMatchObject({ deadLettered: 1, reassigned: 1 });
    expect(await redis.xlen(`${key}:dead`)).toBe(1);
    expect((await pendingOf(key, "g")).map((e) => e.consumer)).toEqual(["r"]);
  });
});

describe("reclaim failures", () => {
  it("a group that fails (dead-letter target is the stream itself) is reported and the others still run", async () => {
    const p = uniquePrefix("rc");
    await stuckStream(`${p}a`, 1);
    await stuckStream(`${p}b`, 1);
    const [first] = (await redis.xrange(`${p}a`, "-", "+", "COUNT", 1)) as [string, string[]][];
    await redis.call("XCLAIM", `${p}a`, "g", "crashed", 0, first![0], "RETRYCOUNT", 9);
    await sleep(150);
    const res = await run(p, [
      { stream: `${p}a`, stuckAfterMs: 100, policy: "requeue", maxDeliveries: 2, deadLetter: "<stream>" },
      { stream: `${p}b`, stuckAfterMs: 100, policy: "requeue" },
    ]);
    expect(res.counts).toMatchObject({ failed: 1, requeued: 1 });
    expect(res.notes.join("\n")).toMatch(/failed/);
  });
});
