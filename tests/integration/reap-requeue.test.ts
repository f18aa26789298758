import { describe, expect, it } from "vitest";
import { POST as reapPOST } from "@/app/api/streams/[key]/groups/[group]/reap/route";
import { reapConsumer } from "@/lib/actions/reap";
import { readAudit } from "@/lib/audit/audit";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import type { ReapResponse } from "@/lib/contract/reap";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { tokenCallers } from "../helpers/token-caller";

const redis = testRedis();
const prefix = uniquePrefix("reaprq");
const { call } = tokenCallers({
  redis,
  prefix,
  config: {
    groups: [
      { stream: `${prefix}all*`, group: "*", reapPolicy: "requeue", allGroups: true },
      { stream: `${prefix}*`, group: "*", reapPolicy: "requeue" },
    ],
  },
});

type PendingRow = [string, string, number, number];
let n = 0;
const key = (name = "s") => `${prefix}${name}${++n}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const reap = (stream: string, body: Record<string, unknown>) =>
  call<ReapResponse & { error?: { code: string } }>(reapPOST, { key: stream, group: "g" }, null, body);

async function consumers(stream: string, group = "g"): Promise<Map<string, number>> {
  const rows = (await redis.xinfo("CONSUMERS", stream, group)) as unknown[][];
  return new Map(rows.map((r) => [String(r[1]), Number(r[3])]));
}

/** Entries 1-0..N-0, group g at 0, each named consumer reading its count in order. */
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

/** The requeued copies: entries after `after` carrying the origin id. */
async function copies(stream: string, after: string): Promise<Record<string, string>[]> {
  const rows = (await redis.xrange(stream, `(${after}`, "+")) as [string, string[]][];
  return rows.map(([, flat]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) o[flat[i]!] = flat[i + 1]!;
    return o;
  });
}

describe("reaper under the requeue policy", () => {
  it("a dry run says how many would be requeued, by nobody, and changes nothing", async () => {
    const s = key();
    await seed(s, { dead: 5, empty: 0 }, 1);
    await sleep(2100);
    await redis.xreadgroup("GROUP", "g", "live", "COUNT", 1, "STREAMS", s, ">");
    // Two seconds of margin: the live consumer stays live however slow the machine is.
    const { status, body } = await reap(s, { idleMs: 2000, dryRun: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, policy: "requeue", to: null, requeued: 5, handedOver: 0, deleted: 2 });
    expect(await redis.xlen(s)).toBe(6);
    expect(await consumers(s)).toEqual(
      new Map([
        ["dead", 5],
        ["empty", 0],
        ["live", 1],
      ]),
    );
  });

  it("requeues an idle consumer's messages as new entries, acks them and deletes it, with nobody live", async () => {
    const s = key();
    await seed(s, { dead: 250, empty: 0 });
    await sleep(1100);
    const { status, body } = await reap(s, { idleMs: 1000 });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      dryRun: false,
      policy: "requeue",
      to: null,
      requeued: 250,
      handedOver: 0,
      deleted: 2,
    });
    expect(Object.fromEntries(body.consumers.map((c) => [c.name, c.outcome]))).toEqual({
      dead: "deleted",
      empty: "deleted",
    });
    expect(await consumers(s)).toEqual(new Map());
    expect(((await redis.xpending(s, "g")) as [number])[0]).toBe(0);
    const copied = await copies(s, "250-0");
    expect(copied).toHaveLength(250);
    expect(copied.map((c) => c.n)).toEqual(Array.from({ length: 250 }, (_, i) => String(i + 1)));
    expect(copied[0]).toMatchObject({
      [DEAD_LETTER_FIELDS.originId]: "1-0",
      [DEAD_LETTER_FIELDS.originGroup]: "g",
      [DEAD_LETTER_FIELDS.deliveries]: "1",
    });
    expect(copied[0]![DEAD_LETTER_FIELDS.reason]).toContain("reaped: consumer dead");
    // The copies are new to the group: the next reader gets them.
    const read = (await redis.xreadgroup("GROUP", "g", "next", "COUNT", 1000, "STREAMS", s, ">")) as [
      string,
      unknown[],
    ][];
    expect(read[0]![1]).toHaveLength(250);
    const audit = await readAudit(redis, { action: "group.reap", stream: s });
    expect(audit.entries.map((e) => e.filter)).toEqual(['{"policy":"requeue"}']);
  });

  it("a consumer that wakes up between two steps keeps what it touched; requeued counts exactly the rest", async () => {
    const s = key();
    await seed(s, { sleepy: 300 });
    const all = Array.from({ length: 300 }, (_, i) => `${i + 1}-0`);
    await redis.xclaim(s, "g", "sleepy", 0, ...all, "IDLE", 3_600_000, "JUSTID");
    // It touches messages 150..200 again: the first step (its oldest 100) is requeued, the second
    // step meets fresh messages and stops.
    const ids = Array.from({ length: 51 }, (_, i) => `${150 + i}-0`);
    await redis.xclaim(s, "g", "sleepy", 0, ...ids, "JUSTID");
    const done = await reapConsumer(redis, s, "g", "sleepy", {
      to: "",
      idleMs: 600_000,
      budget: 1_000_000,
      policy: "requeue",
    });
    expect(done).toEqual({ outcome: "woke", handedOver: 0, requeued: 100 });
    expect((await consumers(s)).get("sleepy")).toBe(200);
    expect(await copies(s, "300-0")).toHaveLength(100);
    const owned = (await redis.xpending(s, "g", "-", "+", 1000)) as PendingRow[];
    expect(owned[0]![0]).toBe("101-0");
  });

  it("a consumer that acks after the listing: only what is still pending is requeued", async () => {
    const s = key();
    await seed(s, { dead: 30 });
    await sleep(1100);
    const listed = await reap(s, { idleMs: 1000, dryRun: true });
    expect(listed.body.requeued).toBe(30);
    await redis.xack(s, "g", ...Array.from({ length: 10 }, (_, i) => `${i + 1}-0`));
    const { body } = await reap(s, { idleMs: 1000 });
    expect(body).toMatchObject({ requeued: 20, deleted: 1 });
    expect(await copies(s, "30-0")).toHaveLength(20);
  });

  it("drops pending messages whose entry is gone, requeues the rest and deletes the consumer", async () => {
    const s = key();
    await seed(s, { dead: 10 });
    await redis.xdel(s, "2-0", "5-0", "9-0");
    await sleep(1100);
    const { body } = await reap(s, { idleMs: 1000 });
    expect(body).toMatchObject({ requeued: 7, deleted: 1 });
    expect(await consumers(s)).toEqual(new Map());
    expect(((await redis.xpending(s, "g")) as [number])[0]).toBe(0);
  });

  it("on a stream read by several groups, refuses without allGroups and touches nothing", async () => {
    const s = key();
    await seed(s, { dead: 3, empty: 0 });
    await redis.xgroup("CREATE", s, "other", "0");
    await sleep(1100);
    for (const dryRun of [true, false]) {
      const res = await reap(s, { idleMs: 1000, dryRun });
      expect(res.status).toBe(409);
      expect(res.body.error?.code).toBe("REQUEUE_NEEDS_ALL_GROUPS");
    }
    expect(await consumers(s)).toEqual(
      new Map([
        ["dead", 3],
        ["empty", 0],
      ]),
    );
    expect(await redis.xlen(s)).toBe(3);
    const { status, body } = await reap(s, { idleMs: 1000, allGroups: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ requeued: 3, deleted: 2 });
  });

  it("follows the group rule's allGroups", async () => {
    const s = key("all");
    await seed(s, { dead: 4 });
    await redis.xgroup("CREATE", s, "other", "0");
    await sleep(1100);
    const { status, body } = await reap(s, { idleMs: 1000 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ policy: "requeue", requeued: 4, deleted: 1 });
  });

  it("refuses a target consumer: nobody takes the messages under requeue", async () => {
    const s = key();
    await seed(s, { dead: 2, live: 1 });
    const res = await reap(s, { idleMs: 1000, to: "live" });
    expect(res.status).toBe(400);
    expect(await consumers(s)).toEqual(
      new Map([
        ["dead", 2],
        ["live", 1],
      ]),
    );
  });
});
