import { afterAll, describe, expect, it } from "vitest";
import { pendingQuerySchema } from "@/lib/contract/pending";
import { getGroupDetail } from "@/lib/pending/group";
import { readIdleHistogram } from "@/lib/pending/idle-histogram";
import { readPendingPage } from "@/lib/pending/page";
import { closeRedis } from "@/lib/redis/client";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { deliver, redeliver, seedPending, sleep } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("pread");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
const key = (name = "s") => `${prefix}${name}${++n}`;
const q = (query: Record<string, string | number> = {}) => pendingQuerySchema.parse(query);

describe("group detail", () => {
  it("gives the group's facts, consumers and the dead flag", async () => {
    const s = key();
    await seedPending(redis, s, { n: 3, consumer: "crashed" });
    await redis.xgroup("CREATECONSUMER", s, "g", "idle-but-empty");
    await redis.xadd(s, "*", "payload", "new");
    const detail = await getGroupDetail(redis, s, "g");
    expect(detail).toMatchObject({
      name: "g",
      consumerCount: 2,
      pending: 3,
      entriesRead: 3,
      lag: 1,
      stuckAfterMs: 30_000,
    });
    expect(detail.consumers.map((c) => c.name).sort()).toEqual(["crashed", "idle-but-empty"]);
    expect(detail.consumers.every((c) => c.dead === false)).toBe(true);
    const crashed = detail.consumers.find((c) => c.name === "crashed")!;
    expect(crashed.pending).toBe(3);
    expect(crashed.inactiveMs).not.toBeNull();
    expect(crashed.idleMs).toBeGreaterThanOrEqual(0);
  });

  it("is 404 for an unknown group or stream, 409 for another type", async () => {
    const s = key();
    await seedPending(redis, s, { n: 1 });
    await expect(getGroupDetail(redis, s, "nope")).rejects.toMatchObject({ status: 404 });
    await expect(getGroupDetail(redis, key("missing"), "g")).rejects.toMatchObject({ status: 404 });
    const h = key("hash");
    await redis.hset(h, "a", "1");
    await expect(getGroupDetail(redis, h, "g")).rejects.toMatchObject({ status: 409 });
  });
});

describe("pending page", () => {
  it("pages the whole PEL by cursor, no entry repeated or skipped", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 25 });
    const seen: string[] = [];
    let start: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await readPendingPage(redis, s, "g", q({ count: 10, ...(start ? { start } : {}) }));
      seen.push(...page.entries.map((e) => e.id));
      pages++;
      if (!page.next) break;
      start = page.next;
    }
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    const first = await readPendingPage(redis, s, "g", q({ count: 5 }));
    expect(first.summary).toEqual({
      count: 25,
      minId: ids[0],
      maxId: ids[24],
      consumers: [{ name: "c1", pending: 25 }],
    });
    expect(first.entries[0]).toMatchObject({ id: ids[0], consumer: "c1", deliveries: 1, deleted: false });
    expect(first.entries[0]!.fields).toBeUndefined();
    expect(first.scanLimited).toBe(false);
  });

  it("filters by consumer, id range, min deliveries and min idle", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 6, deliver: 3, consumer: "a" });
    await sleep(600);
    await deliver(redis, s, "g", "b", 3);
    await redeliver(redis, s, "g", "b", [ids[4]!]);
    const byConsumer = await readPendingPage(redis, s, "g", q({ consumer: "b" }));
    expect(byConsumer.entries.map((e) => e.id)).toEqual(ids.slice(3));
    const byRange = await readPendingPage(redis, s, "g", q({ start: ids[1]!, end: ids[2]! }));
    expect(byRange.entries.map((e) => e.id)).toEqual([ids[1], ids[2]]);
    const byDeliveries = await readPendingPage(redis, s, "g", q({ minDeliveries: 2 }));
    expect(byDeliveries.entries.map((e) => e.id)).toEqual([ids[4]]);
    expect(byDeliveries.next).toBeNull();
    const byIdle = await readPendingPage(redis, s, "g", q({ minIdleMs: 400 }));
    expect(byIdle.entries.map((e) => e.id)).toEqual(ids.slice(0, 3));
    expect(byIdle.entries.every((e) => e.idleMs >= 400)).toBe(true);
  });

  it("bounds a filtered scan and continues with next", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 2500, deliver: 2400 });
    await deliver(redis, s, "g", "late", 100);
    await redeliver(redis, s, "g", "c1", [ids[2300]!, ids[2350]!]);
    const page1 = await readPendingPage(redis, s, "g", q({ minDeliveries: 2, count: 10 }), { scanBudget: 1000 });
    expect(page1.entries).toEqual([]);
    expect(page1.scanLimited).toBe(true);
    expect(page1.next).toBe(`(${ids[999]}`);
    const page2 = await readPendingPage(redis, s, "g", q({ minDeliveries: 2, count: 10, start: page1.next! }), {
      scanBudget: 1000,
    });
    expect(page2.next).toBe(`(${ids[1999]}`);
    const page3 = await readPendingPage(redis, s, "g", q({ minDeliveries: 2, count: 10, start: page2.next! }), {
      scanBudget: 1000,
    });
    expect(page3.entries.map((e) => e.id)).toEqual([ids[2300], ids[2350]]);
    expect(page3.next).toBeNull();
    expect(page3.scanLimited).toBe(false);
  });

  it("marks orphaned ids as deleted and returns binary-safe fields on request", async () => {
    const s = key();
    await redis.xgroup("CREATE", s, "g", "0", "MKSTREAM");
    const a = String(await redis.xadd(s, "*", "k", "v", "k", ""));
    const b = String(await redis.xadd(s, "*", "bin", Buffer.from([0xff, 0xfe])));
    const c = String(await redis.xadd(s, "*", "x", "y"));
    await deliver(redis, s, "g", "c1", 3);
    await redis.xdel(s, c);
    const page = await readPendingPage(redis, s, "g", q({ withFields: "1" }));
    expect(page.entries.map((e) => [e.id, e.deleted])).toEqual([
      [a, false],
      [b, false],
      [c, true],
    ]);
    expect(page.entries[0]!.fields).toEqual([
      ["k", "v"],
      ["k", ""],
    ]);
    expect(page.entries[1]!.fields).toEqual([["bin", { base64: Buffer.from([0xff, 0xfe]).toString("base64") }]]);
    expect(page.entries[2]!.fields).toBeNull();
  });

  it("reads pending entries right, consecutive or with acked gaps and deleted ids between (tests/integration/read-commands.test.ts counts the reads)", async () => {
    const s = key();
    await redis.xgroup("CREATE", s, "g", "0", "MKSTREAM");
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(String(await redis.xadd(s, "*", "n", String(i))));
    await deliver(redis, s, "g", "c1", 60);
    const dense = await readPendingPage(redis, s, "g", q({ count: 50 }));
    expect(dense.entries.map((e) => [e.id, e.deleted])).toEqual(ids.slice(0, 50).map((id) => [id, false]));

    // Gaps of acked entries between the pending ones, and pending ids whose entries were deleted.
    await redis.xack(s, "g", ...ids.filter((_, i) => i >= 20 && i % 3 === 0));
    await redis.xdel(s, ids[5]!, ids[40]!, ids[59]!);
    const pending = ids.filter((_, i) => !(i >= 20 && i % 3 === 0));
    for (const withFields of ["0", "1"]) {
      const page = await readPendingPage(redis, s, "g", q({ count: 100, withFields }));
      expect(page.entries.map((e) => e.id)).toEqual(pending);
      const gone = new Set([ids[5], ids[40], ids[59]]);
      expect(page.entries.map((e) => e.deleted)).toEqual(pending.map((id) => gone.has(id)));
      if (withFields === "1") {
        expect(page.entries.map((e) => e.fields)).toEqual(
          pending.map((id) => (gone.has(id) ? null : [["n", String(ids.indexOf(id))]])),
        );
      }
    }
  });
});

describe("idle histogram", () => {
  it("is exact for a small PEL and marks the per-consumer split", async () => {
    const s = key();
    await seedPending(redis, s, { n: 30, deliver: 20, consumer: "a" });
    await sleep(1050);
    await deliver(redis, s, "g", "b", 10);
    const h = await readIdleHistogram(redis, s, "g");
    expect(h.exact).toBe(true);
    expect(h.total).toBe(30);
    expect(h.sampled).toBe(30);
    expect(h.buckets.map((b) => b.count)).toEqual([10, 20, 0, 0, 0, 0, 0, 0]);
    expect(h.perConsumer).toEqual([
      { name: "a", pending: 20 },
      { name: "b", pending: 10 },
    ]);
    expect(h.stuckAfterMs).toBe(30_000);
  });

  it("is a labelled estimate from a bounded sample above 10,000 pending", async () => {
    const s = key();
    await seedPending(redis, s, { n: 12_000 });
    const h = await readIdleHistogram(redis, s, "g");
    expect(h.exact).toBe(false);
    expect(h.total).toBe(12_000);
    expect(h.sampled).toBeGreaterThan(0);
    expect(h.sampled).toBeLessThanOrEqual(10_000);
    expect(h.buckets.reduce((a, b) => a + b.count, 0)).toBe(12_000);
  });

  it("is empty for an empty PEL", async () => {
    const s = key();
    await seedPending(redis, s, { n: 2, deliver: 0 });
    const h = await readIdleHistogram(redis, s, "g");
    expect(h).toMatchObject({ exact: true, total: 0, sampled: 0, perConsumer: [] });
    expect(h.buckets.every((b) => b.count === 0)).toBe(true);
  });
});
