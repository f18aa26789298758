/**
 * The live-tail hub against the real redis-server: one blocked XREAD connection per tailed
 * stream whatever the number of listeners, entries in order with their states, the loop and its
 * connection gone after the last unsubscribe, clear errors when the key goes away.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import type { StreamEntry } from "@/lib/contract/entries";
import { closeRedis } from "@/lib/redis/client";
import { compareIds } from "@/lib/contract/ids";
import {
  DEFAULT_TAIL_LIMITS,
  setTailLimits,
  subscribe,
  tailStats,
  TAIL_CONNECTION_NAME,
  type TailBatch,
} from "@/lib/streams/tail";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("tail");

beforeAll(() => {
  setTailLimits({ blockMs: 300, minIntervalMs: 50 });
});

afterEach(() => {
  expect(tailStats(), "a test left a tail running").toEqual({ streams: 0, listeners: 0 });
});

afterAll(async () => {
  setTailLimits(DEFAULT_TAIL_LIMITS);
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

function collector() {
  const batches: TailBatch[] = [];
  const errors: AppError[] = [];
  return {
    batches,
    errors,
    entries: (): StreamEntry[] => batches.flatMap((b) => b.entries),
    listener: { onBatch: (b: TailBatch) => batches.push(b), onError: (e: AppError) => errors.push(e) },
  };
}

/** The tail connections Redis sees: `{blocked}` is true while it waits in XREAD. */
async function tailClients(): Promise<{ cmd: string; blocked: boolean }[]> {
  const list = (await redis.client("LIST")) as string;
  return list
    .split("\n")
    .filter((line) => line.includes(` name=${TAIL_CONNECTION_NAME} `))
    .map((line) => ({ cmd: /cmd=(\S+)/.exec(line)?.[1] ?? "", blocked: /flags=\S*b/.test(line) }));
}

async function until<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("live tail hub", () => {
  it("shares one blocked XREAD connection between listeners and delivers entries in order with states", async () => {
    const key = `${prefix}shared`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    await redis.xadd(key, "1-0", "old", "before the tail");
    const a = collector();
    const b = collector();
    const subA = await subscribe(key, a.listener);
    const subB = await subscribe(key, b.listener);
    expect(subA.position).toBe("1-0");
    expect(tailStats()).toEqual({ streams: 1, listeners: 2 });

    const clients = await until("a blocked tail connection", tailClients, (c) => c.some((x) => x.blocked));
    expect(clients).toEqual([{ cmd: "xread", blocked: true }]);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await redis.xadd(key, "*", "n", String(i), "n", "again"))!);
    await redis.xaddBuffer(key, "*", "bin", Buffer.from([0xff, 0x00, 0xfe]));
    await until(
      "six entries for both",
      () => [a.entries().length, b.entries().length],
      ([x, y]) => x === 6 && y === 6,
    );

    for (const c of [a, b]) {
      expect(
        c
          .entries()
          .slice(0, 5)
          .map((e) => e.id),
      ).toEqual(ids);
      expect(c.errors).toEqual([]);
    }
    const first = a.entries()[0]!;
    expect(first.fields).toEqual([
      ["n", "0"],
      ["n", "again"],
    ]);
    expect(first.states).toEqual({ g: { state: "delivered" } });
    expect(a.entries()[5]!.fields).toEqual([["bin", { base64: Buffer.from([0xff, 0x00, 0xfe]).toString("base64") }]]);
    // Still one connection (a reconnect under load may show its closing predecessor for a moment).
    await until("one tail connection", tailClients, (c) => c.length === 1);

    subA.unsubscribe();
    expect(tailStats()).toEqual({ streams: 1, listeners: 1 });
    await redis.xadd(key, "*", "n", "after A left");
    await until(
      "B still receives",
      () => b.entries().length,
      (n) => n === 7,
    );
    expect(a.entries()).toHaveLength(6);

    subB.unsubscribe();
    expect(tailStats()).toEqual({ streams: 0, listeners: 0 });
    await until("the tail connection closed", tailClients, (c) => c.length === 0);
  });

  it("shows states as of delivery: pending for an entry a consumer already read", async () => {
    const key = `${prefix}states`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    const c = collector();
    const sub = await subscribe(key, c.listener);
    try {
      await until("blocked", tailClients, (x) => x.some((y) => y.blocked));
      // One transaction: the blocked XREAD is served after it, so the state is read after the XREADGROUP.
      const replies =
        (await redis
          .multi()
          .xadd(key, "*", "n", "1")
          .xreadgroup("GROUP", "g", "alice", "COUNT", 1, "STREAMS", key, ">")
          .exec()) ?? [];
      const id = replies[0]?.[1] as string;
      await until(
        "the entry",
        () => c.entries().length,
        (n) => n >= 1,
      );
      const got = c.entries()[0]!;
      expect(got.id).toBe(id);
      expect(got.states.g).toMatchObject({ state: "pending", consumer: "alice", deliveries: 1 });
    } finally {
      sub.unsubscribe();
    }
  });

  it("jumps to the newest entries when the producer outruns the limits and counts the skipped ones", async () => {
    const key = `${prefix}fast`;
    await redis.xadd(key, "*", "seed", "x");
    setTailLimits({ maxPerEvent: 10, minIntervalMs: 300 });
    const c = collector();
    const sub = await subscribe(key, c.listener);
    try {
      await until("blocked", tailClients, (x) => x.some((y) => y.blocked));
      const pipe = redis.pipeline();
      for (let i = 0; i < 60; i++) pipe.xadd(key, "*", "i", String(i));
      const ids = ((await pipe.exec()) ?? []).map(([, id]) => id as string);
      await until(
        "the last entry",
        () => c.entries().at(-1)?.id,
        (id) => id === ids[59],
      );
      expect(c.batches.every((b) => b.entries.length <= 10)).toBe(true);
      const skipped = c.batches.reduce((n, b) => n + b.skipped, 0);
      expect(skipped).toBeGreaterThan(0);
      expect(c.entries().length + skipped).toBe(60);
      const got = c.entries().map((e) => e.id);
      expect(got).toEqual([...got].sort(compareIds));
    } finally {
      setTailLimits({ maxPerEvent: DEFAULT_TAIL_LIMITS.maxPerEvent, minIntervalMs: 50 });
      sub.unsubscribe();
    }
  });

  it("delivers a burst into a stream that was empty when the tail started, none skipped", async () => {
    const key = `${prefix}empty`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    const c = collector();
    const sub = await subscribe(key, c.listener);
    try {
      await until("blocked", tailClients, (x) => x.some((y) => y.blocked));
      const multi = redis.multi();
      for (let i = 0; i < 30; i++) multi.xadd(key, `${i + 1}-0`, "i", String(i));
      await multi.exec();
      await until(
        "30 entries",
        () => c.entries().length,
        (n) => n >= 30,
      );
      expect(c.entries().map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, i) => `${i + 1}-0`));
      expect(c.batches.reduce((n, b) => n + b.skipped, 0)).toBe(0);
    } finally {
      sub.unsubscribe();
    }
  });

  it("ends with NOT_FOUND when the key is deleted and WRONG_TYPE when it becomes another type", async () => {
    const gone = `${prefix}gone`;
    const retyped = `${prefix}retyped`;
    await redis.xadd(gone, "*", "a", "1");
    await redis.xadd(retyped, "*", "a", "1");
    const c1 = collector();
    const c2 = collector();
    await subscribe(gone, c1.listener);
    await subscribe(retyped, c2.listener);
    await until("both blocked", tailClients, (x) => x.filter((y) => y.blocked).length === 2);
    await redis.del(gone);
    await redis.multi().del(retyped).set(retyped, "a string").exec();
    await until(
      "two errors",
      () => c1.errors.length + c2.errors.length,
      (n) => n === 2,
    );
    expect(c1.errors.map((e) => [e.code, e.status])).toEqual([["NOT_FOUND", 404]]);
    expect(c2.errors.map((e) => [e.code, e.status])).toEqual([["WRONG_TYPE", 409]]);
    await until("connections closed", tailClients, (x) => x.length === 0);
  });

  it("refuses a missing key, another type and streams past the instance's cap", async () => {
    const c = collector();
    await expect(subscribe(`${prefix}missing`, c.listener)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await redis.set(`${prefix}str`, "x");
    await expect(subscribe(`${prefix}str`, c.listener)).rejects.toMatchObject({ code: "WRONG_TYPE" });

    await redis.xadd(`${prefix}cap1`, "*", "a", "1");
    await redis.xadd(`${prefix}cap2`, "*", "a", "1");
    setTailLimits({ maxStreams: 1 });
    const sub = await subscribe(`${prefix}cap1`, c.listener);
    try {
      await expect(subscribe(`${prefix}cap2`, collector().listener)).rejects.toMatchObject({
        code: "TAIL_LIMIT",
        status: 429,
      });
      // Another viewer of an already tailed stream still joins.
      const again = await subscribe(`${prefix}cap1`, collector().listener);
      again.unsubscribe();
    } finally {
      setTailLimits({ maxStreams: DEFAULT_TAIL_LIMITS.maxStreams });
      sub.unsubscribe();
    }
    await until("connections closed", tailClients, (x) => x.length === 0);
  });
});
