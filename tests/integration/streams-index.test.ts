/**
 * The stream index serving the overview: pages of a fixed size in key order, search by pattern,
 * keys that vanish between discovery and display, new keys found by the next pass or at once by
 * keyspace notifications, and a big key space (200,000 other keys, DEBUG POPULATE on a private
 * server) where the first page answers while the first pass runs, with its progress, and no
 * dashboard command reaches the slow log (10 ms).
 */
import type Redis from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { GET as overviewRoute } from "@/app/api/overview/route";
import type { OverviewSummary, StreamsListResponse } from "@/lib/contract/streams";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { keyEvents, StreamIndex } from "@/lib/streams/stream-index";
import { freePort } from "@/scripts/lib/redis-server";
import { hashToken } from "@/lib/auth/token-hash";
import { TEST_SESSION_SECRET, useConfig } from "../helpers/auth";
import { privateRedis } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { expectNoSlowDashboardCommands, resetSlowLog } from "../helpers/slowlog";

type Handler = Parameters<typeof callRoute>[0];
type ErrorRes = { error: { code: string } };

const own = privateRedis(["--enable-debug-command", "local"]);
let redis: Redis;

async function page(query: Record<string, string | number>): Promise<StreamsListResponse> {
  const res = await callRoute<StreamsListResponse>(listRoute as Handler, "/api/streams", {
    query: { offset: 0, ...query },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilExact(query: Record<string, string | number>, timeoutMs = 60_000): Promise<StreamsListResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await page(query);
    if (body.index!.exact || Date.now() > deadline) return body;
    await sleep(100);
  }
}

beforeAll(() => {
  redis = own.raw();
});

describe("pages of the stream index", () => {
  it("answers fixed-size pages in key order, with the total, and searches by pattern", async () => {
    for (let i = 0; i < 23; i++) await redis.xadd(`idx:s${String(i).padStart(2, "0")}`, "*", "n", String(i));
    await redis.xadd("other:a", "*", "n", "1");
    await redis.set("idx:string", "x");
    const first = await page({ match: "idx:*", count: 10 });
    expect(first.index).toMatchObject({ offset: 0, count: 10, total: 23, exact: true, discovering: false });
    expect(first.index!.nodes).toBeUndefined();
    expect(first.streams.map((r) => r.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `idx:s${String(i).padStart(2, "0")}`),
    );
    expect(first.streams[0]).toMatchObject({ length: 1, groupCount: 0 });
    expect(first.streams[0]!.node).toBeUndefined();
    const last = await page({ match: "idx:*", count: 10, offset: 20 });
    expect(last.streams.map((r) => r.key)).toEqual(["idx:s20", "idx:s21", "idx:s22"]);
    const search = await page({ match: "*s1?" });
    expect(search.streams.map((r) => r.key)).toEqual(Array.from({ length: 10 }, (_, i) => `idx:s1${i}`));
    const everything = await page({});
    expect(everything.index!.total).toBe(24);
  });

  it("a stream deleted or turned into another type leaves the next page quietly; a new one shows after the next pass", async () => {
    await page({ match: "idx:*", count: 5 });
    await redis.del("idx:s00");
    await redis.del("idx:s01");
    await redis.set("idx:s01", "now a string");
    const after = await page({ match: "idx:*", count: 5 });
    expect(after.streams.map((r) => r.key)).toEqual(["idx:s02", "idx:s03", "idx:s04"]);
    expect(after.index!.total).toBe(21);
    const again = await page({ match: "idx:*", count: 5 });
    expect(again.streams.map((r) => r.key)[0]).toBe("idx:s02");
    expect(again.index!.total).toBe(21);
    await redis.xadd("idx:new", "*", "n", "1");
    // The next pass: a request's own once the last is over FRESH_MS old and was quick, else the
    // background's (every PASS_GAP_MS, or as long as a pass took): a few seconds on a loaded machine.
    const deadline = Date.now() + 10_000;
    let found = await page({ match: "idx:new" });
    while (found.streams.length === 0 && Date.now() < deadline) {
      await sleep(250);
      found = await page({ match: "idx:new" });
    }
    expect(found.streams.map((r) => r.key)).toEqual(["idx:new"]);
  });

  it("with keyspace notifications on (set by the test, never by the app), a new stream shows without a pass", async () => {
    expect(keyEvents("")).toEqual([]);
    expect(keyEvents("Kg")).toEqual([]);
    expect(keyEvents("Et")).toEqual(["xadd", "xgroup-create", "xsetid"]);
    expect(keyEvents("KEA")).toContain("del");
    await redis.config("SET", "notify-keyspace-events", "KEA");
    try {
      // A fresh index (asks at its first pass; a running one asks again within 30 s).
      resetProcessState();
      await page({ match: "idx:*" });
      await sleep(200);
      const before = await page({ match: "idx:*" });
      expect(before.index!.notifications).toBe(true);
      await redis.xadd("idx:announced", "*", "n", "1");
      await redis.del("idx:s02");
      await sleep(100);
      // Within FRESH_MS of the pass that the last request ran: no new pass, the events did it.
      const after = await page({ match: "idx:*" });
      const keys = after.streams.map((r) => r.key);
      expect(keys).toContain("idx:announced");
      expect(keys).not.toContain("idx:s02");
    } finally {
      await redis.config("SET", "notify-keyspace-events", "");
    }
  });

  it("400 for a bad offset or a page over 1,000 rows", async () => {
    const bad: Record<string, string | number>[] = [
      { offset: "x" },
      { offset: "-1" },
      { offset: 0, count: 1001 },
      { offset: 0, count: 0 },
    ];
    for (const query of bad) {
      const res = await callRoute<ErrorRes>(listRoute as Handler, "/api/streams", { query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
    }
  });
});

describe("Redis down", () => {
  it("an index page and the tiles answer 503 REDIS_UNAVAILABLE, and work again once Redis is back", async () => {
    await closeRedis();
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`;
    resetProcessState();
    try {
      for (const [handler, path, query] of [
        [listRoute, "/api/streams", { offset: 0 }],
        [overviewRoute, "/api/overview", {}],
      ] as const) {
        const res = await callRoute<ErrorRes>(handler as Handler, path, { query });
        expect(res.status).toBe(503);
        expect(res.body.error.code).toBe("REDIS_UNAVAILABLE");
      }
    } finally {
      await closeRedis();
      process.env.REDIS_URL = own.server().url;
      resetProcessState();
    }
    expect((await page({ match: "idx:*" })).index!.total).toBeGreaterThan(0);
  });
});

describe("a caller with a stream scope", () => {
  it("pages and counts only the indexed streams it may see", async () => {
    const token = "tok-index-scope-0123456789abcdef0123456789";
    for (let i = 0; i < 3; i++) await redis.xadd(`scoped:orders_${i}`, "*", "n", "1");
    await redis.xadd("scoped:payments_0", "*", "n", "1");
    const saved = process.env.STREAMSCOPE_CONFIG;
    useConfig({
      auth: {
        tokens: [{ name: "orders", role: "viewer", tokenHash: hashToken(token), streams: ["scoped:orders_*"] }],
        sessionSecret: TEST_SESSION_SECRET,
      },
    });
    try {
      const res = await callRoute<StreamsListResponse>(listRoute as Handler, "/api/streams", {
        query: { offset: 0, match: "scoped:*", count: 2 },
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      expect(res.body.streams.map((r) => r.key)).toEqual(["scoped:orders_0", "scoped:orders_1"]);
      expect(res.body.index!.total).toBe(3);
    } finally {
      if (saved === undefined) delete process.env.STREAMSCOPE_CONFIG;
      else process.env.STREAMSCOPE_CONFIG = saved;
      resetProcessState();
    }
  });
});

describe("a big key space: 200,000 other keys", () => {
  it("the first page answers while the first pass runs, says how far it got, and the total is exact once it ends", async () => {
    await redis.flushall();
    await redis.call("DEBUG", "POPULATE", 200_000, "big:filler");
    const pipe = redis.pipeline();
    for (let i = 0; i < 40; i++) pipe.xadd(`big:stream:${String(i).padStart(2, "0")}`, "*", "n", String(i));
    await pipe.exec();
    await resetSlowLog(redis);
    await closeRedis();
    resetProcessState();

    const started = Date.now();
    const first = await page({ count: 25 });
    const firstMs = Date.now() - started;
    expect(first.index).toMatchObject({ discovering: true, exact: false, offset: 0, count: 25 });
    expect(first.index!.about).toBe(200_040);
    expect(first.index!.scanned).toBeGreaterThan(0);
    expect(first.index!.scanned).toBeLessThan(200_040);
    expect(first.streams.length).toBeLessThanOrEqual(25);
    expect(firstMs).toBeLessThan(2000);

    const summary = await callRoute<OverviewSummary>(overviewRoute as Handler, "/api/overview");
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ discovering: true, complete: false });

    const done = await untilExact({ count: 25 });
    expect(done.index).toMatchObject({ discovering: false, exact: true, total: 40, scanned: 200_040 });
    expect(done.streams.map((r) => r.key)).toEqual(
      Array.from({ length: 25 }, (_, i) => `big:stream:${String(i).padStart(2, "0")}`),
    );
    const tiles = await callRoute<OverviewSummary>(overviewRoute as Handler, "/api/overview");
    expect(tiles.body).toMatchObject({ streams: 40, complete: true });
    expect(tiles.body.discovering).toBeUndefined();

    await expectNoSlowDashboardCommands(redis);
  }, 120_000);

  it("a SCAN cursor page asked for 10,000 slots walks them 1,000 a call: all 40 streams, no slow SCAN", async () => {
    // One SCAN COUNT 10000 ... TYPE stream took 20 ms (median of 30) on 2,000,000 keys here.
    await resetSlowLog(redis);
    const seen = new Set<string>();
    let cursor = "0";
    let answers = 0;
    do {
      const res = await callRoute<StreamsListResponse>(listRoute as Handler, "/api/streams", {
        query: { cursor, count: 10_000 },
      });
      expect(res.status).toBe(200);
      for (const row of res.body.streams) seen.add(row.key);
      cursor = res.body.cursor;
      answers++;
    } while (cursor !== "0" && answers < 1000);
    expect(seen.size).toBe(40);
    expect(answers).toBeGreaterThanOrEqual(20);
    await expectNoSlowDashboardCommands(redis);
  }, 120_000);

  it("after the first pass, a request asked while a later pass runs answers from the index without walking it", async () => {
    // The 200,040 keys of the test above, walked 1,000 at a time: a pass is 200-odd slices.
    const index = new StreamIndex(redis, { scanCount: 1000 });
    try {
      await index.refresh(60_000);
      expect(index.discovery()).toMatchObject({ discovering: false, passes: 1, scanned: 200_040 });
      await index.step(); // a later pass starts, as the background starts one every few seconds
      const running = index.discovery();
      expect(running.passes).toBe(1);
      expect(running.scanned).toBeLessThan(200_040);
      await index.refresh();
      // Not one slice more: the request left the pass to the background.
      expect(index.discovery()).toMatchObject({ passes: 1, scanned: running.scanned });
      expect(index.select("big:stream:*")).toHaveLength(40);
    } finally {
      index.stop();
    }
  }, 120_000);
});
