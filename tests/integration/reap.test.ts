import { afterAll, describe, expect, it } from "vitest";
import { POST as reapPOST } from "@/app/api/streams/[key]/groups/[group]/reap/route";
import { reapConsumer } from "@/lib/actions/reap";
import { readAudit } from "@/lib/audit/audit";
import { REAP_CONSUMERS_PER_CALL, type ReapResponse } from "@/lib/contract/reap";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { seedLeakyGroup } from "@/scripts/lib/leaked-consumers";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import {
  expectNoSlowCommands,
  expectNoSlowDashboardCommands,
  fromDashboard,
  resetSlowLog,
  type SlowEntry,
} from "../helpers/slowlog";

const redis = testRedis();
const prefix = uniquePrefix("reap");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});
type Handler = Parameters<typeof callRoute>[0];
let n = 0;
const key = () => `${prefix}s${++n}`;

const reap = (stream: string, body: Record<string, unknown>) =>
  callRoute<ReapResponse>(reapPOST as Handler, "/x", { params: { key: stream, group: "g" }, body });

async function consumers(stream: string): Promise<Map<string, number>> {
  const rows = (await redis.xinfo("CONSUMERS", stream, "g")) as unknown[][];
  return new Map(rows.map((r) => [String(r[1]), Number(r[3])]));
}

/** `count` entries, `perConsumer` of them read by each named consumer (in order). */
async function seed(stream: string, readers: Record<string, number>, extra = 0): Promise<void> {
  const total = Object.values(readers).reduce((a, b) => a + b, 0) + extra;
  const pipe = redis.pipeline();
  for (let i = 1; i <= total; i++) pipe.xadd(stream, `${i}-0`, "n", String(i));
  await pipe.exec();
  await redis.xgroup("CREATE", stream, "g", "0");
  for (const [name, count] of Object.entries(readers)) {
    if (count === 0) await redis.xgroup("CREATECONSUMER", stream, "g", name);
    else await redis.xreadgroup("GROUP", "g", name, "COUNT", count, "STREAMS", stream, ">");
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("safe consumer reaper", () => {
  it("a dry run lists what would happen and changes nothing", async () => {
    const s = key();
    await seed(s, { dead1: 5, dead2: 0 }, 1);
    await sleep(1100);
    // A consumer that never read counts as inactive for good on 7.2+: the live one reads.
    await redis.xreadgroup("GROUP", "g", "live", "COUNT", 1, "STREAMS", s, ">");
    const { status, body } = await reap(s, { idleMs: 1000, dryRun: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, to: "live", handedOver: 5, deleted: 2, listed: "all" });
    expect(body.consumers.map((c) => [c.name, c.pending, c.outcome]).sort()).toEqual([
      ["dead1", 5, "deleted"],
      ["dead2", 0, "deleted"],
    ]);
    expect(await consumers(s)).toEqual(
      new Map([
        ["dead1", 5],
        ["dead2", 0],
        ["live", 1],
      ]),
    );
  });

  it("hands an idle consumer's messages to the live one, then deletes it; nothing is lost", async () => {
    const s = key();
    await seed(s, { dead: 250, idleEmpty: 0 }, 10);
    await sleep(1100);
    await redis.xreadgroup("GROUP", "g", "live", "COUNT", 10, "STREAMS", s, ">");
    const before = (await redis.xpending(s, "g")) as [number, ...unknown[]];
    const { body } = await reap(s, { idleMs: 1000 });
    expect(body).toMatchObject({ dryRun: false, to: "live", handedOver: 250, deleted: 2, more: false });
    expect(await consumers(s)).toEqual(new Map([["live", 260]]));
    const after = (await redis.xpending(s, "g")) as [number, ...unknown[]];
    expect(after[0]).toBe(before[0]);
    // Delivery counts are not bumped by the hand-over (XCLAIM JUSTID).
    const [row] = (await redis.xpending(s, "g", "-", "+", 1)) as [string, string, number, number][];
    expect(row![3]).toBe(1);
    // The audit entry names the policy, as the worker's do.
    const audit = await readAudit(redis, { action: "group.reap", stream: s });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ filter: '{"policy":"hand-over"}', result: "ok" });
    // It touched the messages handed over; the consumers deleted are not messages.
    expect(audit.entries[0]!.touched).toBe(250);
  });

  it("a consumer that wakes up after it was listed keeps what it touched and is not deleted", async () => {
    const s = key();
    await seed(s, { sleepy: 300 }, 1);
    await sleep(1100);
    await redis.xreadgroup("GROUP", "g", "live", "COUNT", 1, "STREAMS", s, ">");
    const listed = await reap(s, { idleMs: 1000, dryRun: true });
    expect(listed.body.consumers).toEqual([expect.objectContaining({ name: "sleepy", outcome: "deleted" })]);
    // Between the listing and the hand-over it wakes and re-reads its own oldest 100 messages.
    await redis.xreadgroup("GROUP", "g", "sleepy", "COUNT", 100, "STREAMS", s, "0");
    const done = await reapConsumer(redis, s, "g", "sleepy", { to: "live", idleMs: 1000, budget: 1_000_000 });
    expect(done).toEqual({ outcome: "woke", handedOver: 0 });
    const owned = await consumers(s);
    expect(owned.get("sleepy")).toBe(300);
    expect(owned.get("live")).toBe(1);
  });

  it("with nobody live, deletes only consumers that own nothing", async () => {
    const s = key();
    await seed(s, { a: 3, b: 0 });
    await sleep(1100);
    const { body } = await reap(s, { idleMs: 1000 });
    expect(body).toMatchObject({ to: null, deleted: 1, handedOver: 0 });
    expect(Object.fromEntries(body.consumers.map((c) => [c.name, c.outcome]))).toEqual({ a: "kept", b: "deleted" });
    expect(await consumers(s)).toEqual(new Map([["a", 3]]));
  });

  it("refuses junk and an unknown target consumer without touching anything", async () => {
    const s = key();
    await seed(s, { a: 2 });
    expect((await reap(s, { idleMs: 5 })).status).toBe(400);
    expect((await reap(s, { idleMs: 1000, to: "ghost" })).status).toBe(400);
    expect((await reap(s, { idleMs: 1000, extra: 1 })).status).toBe(400);
    expect(
      (await callRoute(reapPOST as Handler, "/x", { params: { key: s, group: "nope" }, body: { idleMs: 1000 } }))
        .status,
    ).toBe(404);
    expect(await consumers(s)).toEqual(new Map([["a", 2]]));
  });
});

describe("reaping a leak of consumers that own nothing", () => {
  it("deletes 20,000 idle empty consumers in bounded steps, keeps the live one, and says when more is left", async () => {
    const s = key();
    await seed(s, { worker: 5 });
    const pipe = redis.pipeline();
    for (let i = 0; i < 20_000; i++) pipe.xgroup("CREATECONSUMER", s, "g", `leak-${i}`);
    await pipe.exec();
    await sleep(2100);
    await redis.xadd(s, "*", "n", "new");
    await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 1, "STREAMS", s, ">");
    await resetSlowLog(redis);
    const first = await reap(s, { idleMs: 2000, bulk: true });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ deleted: 10_000, more: true, listed: "all", consumersOmitted: 9000 });
    expect(first.body.consumers).toHaveLength(1000);
    // The worker stays alive across a slow first call (on 7.0 only a read that gets something counts).
    await redis.xadd(s, "*", "n", "newer");
    await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 1, "STREAMS", s, ">");
    const second = await reap(s, { idleMs: 2000, bulk: true });
    expect(second.body).toMatchObject({ deleted: 10_000, more: false });
    expect(await consumers(s)).toEqual(new Map([["worker", 7]]));
    // Only the bulk listing (one XINFO CONSUMERS over 20,000 consumers) may be slow; no step is.
    await expectNoSlowDashboardCommands(
      redis,
      (e) => fromDashboard(e) && e[3].slice(0, 2).join(" ").toUpperCase() !== "XINFO CONSUMERS",
    );
  }, 120_000);
});

const CONSUMERS = 100_000;

/** A group where "worker" owns 4 messages and 99,999 consumers that never read own nothing. */
async function leakyGroup(stream: string): Promise<void> {
  await seedLeakyGroup(redis, stream, { messages: 4, owners: [["worker", 3]], leaked: CONSUMERS - 1 });
  expect(((await redis.xinfo("GROUPS", stream)) as unknown[][])[0]).toContain(CONSUMERS);
  await sleep(2100);
  await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 1, "STREAMS", stream, ">");
}

interface Run {
  stream: string;
  calls: number;
  deleted: number;
  ms: number;
}

/** Bulk reap calls through the route until `more: false`; the worker reads on between them. */
async function reapAll(stream: string): Promise<Run> {
  const run: Run = { stream, calls: 0, deleted: 0, ms: 0 };
  const started = Date.now();
  for (let more = true; more; run.calls++) {
    expect(run.calls).toBeLessThan(CONSUMERS / REAP_CONSUMERS_PER_CALL + 2);
    // On 7.0 only a read that gets something counts as activity; it stays live for 2 s however slow the machine.
    await redis.xadd(stream, "*", "n", "more");
    await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 1, "STREAMS", stream, ">");
    const res = await callRoute<ReapResponse>(reapPOST as never, "/x", {
      params: { key: stream, group: "g" },
      body: { idleMs: 2000, bulk: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ listed: "all", policy: "hand-over", to: "worker", handedOver: 0 });
    // Every consumer of a call owned nothing: all deleted, none kept.
    expect(res.body.deleted).toBe(res.body.consumers.length + res.body.consumersOmitted);
    expect(res.body.deleted).toBeLessThanOrEqual(REAP_CONSUMERS_PER_CALL);
    run.deleted += res.body.deleted;
    more = res.body.more;
  }
  run.ms = Date.now() - started;
  return run;
}

describe("a group with 100,000 idle consumers that own nothing", () => {
  it("bulk reaps them through the route in bounded steps until nothing is left; the live consumer keeps its messages", async () => {
    const runs: Run[] = [];
    // Listing every consumer (XINFO CONSUMERS, O(consumers)) is the one command that may be slow.
    const counted = (e: SlowEntry) =>
      fromDashboard(e) && e[3].slice(0, 2).join(" ").toUpperCase() !== "XINFO CONSUMERS";
    await expectNoSlowCommands(
      redis,
      async () => {
        const stream = `${prefix}leak${runs.length}`;
        await leakyGroup(stream);
        runs.push(await reapAll(stream));
      },
      counted,
    );
    for (const run of runs) {
      expect(run.deleted).toBe(CONSUMERS - 1);
      expect(run.calls).toBe(CONSUMERS / REAP_CONSUMERS_PER_CALL);
      const owned = 4 + run.calls;
      const consumers = (await redis.xinfo("CONSUMERS", run.stream, "g")) as unknown[][];
      expect(consumers.map((r) => [r[1], r[3]])).toEqual([["worker", owned]]);
      const pending = (await redis.xpending(run.stream, "g", "-", "+", 100)) as [string, string][];
      expect(pending.map((p) => p[1])).toEqual(Array.from({ length: owned }, () => "worker"));
    }
  }, 300_000);
});
