import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { GET as getEntries } from "@/app/api/streams/[key]/entries/route";
import { GET as getSearch } from "@/app/api/streams/[key]/search/route";
import type { EntriesResponse, SearchResponse } from "@/lib/contract/entries";
import { readEntries } from "@/lib/streams/entries";
import { searchEntries } from "@/lib/streams/search";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("entries");
type ErrorRes = { error: { code: string; message: string } };

function entries(key: string, query: Record<string, string | number> = {}) {
  return callRoute<EntriesResponse & ErrorRes>(getEntries as never, `/api/streams/${encodeURIComponent(key)}/entries`, {
    params: { key },
    query,
  });
}

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("entries with per-group states", () => {
  const key = `${prefix}states`;
  const ids: string[] = [];

  beforeAll(async () => {
    // g1 at 0: e1 acked, e2 pending for alice (2 deliveries), e3 pending for bob, e4+ delivered.
    await redis.xgroup("CREATE", key, "g1", "0", "MKSTREAM");
    for (let i = 1; i <= 6; i++) ids.push((await redis.xadd(key, `${i}-0`, "n", String(i)))!);
    // g2 created at $ after e1..e6: all acked / skipped except what it reads later.
    await redis.xgroup("CREATE", key, "g2", "$");
    await redis.xreadgroup("GROUP", "g1", "alice", "COUNT", 2, "STREAMS", key, ">");
    await redis.xack(key, "g1", "1-0");
    await redis.xreadgroup("GROUP", "g1", "bob", "COUNT", 1, "STREAMS", key, ">");
    // Second delivery of 2-0 to alice: read her own history.
    await redis.xreadgroup("GROUP", "g1", "alice", "STREAMS", key, "0");
    await redis.xadd(key, "7-0", "n", "7");
    await redis.xreadgroup("GROUP", "g2", "carol", "STREAMS", key, ">");
  });

  it("classifies each entry for each group with consumer and delivery count", async () => {
    const res = await entries(key);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.entries.map((e) => [e.id, e.states]));
    expect(byId["1-0"]).toEqual({ g1: { state: "acked" }, g2: { state: "acked" } });
    expect(byId["2-0"]?.g1).toMatchObject({ state: "pending", consumer: "alice", deliveries: 2 });
    expect(byId["3-0"]?.g1).toMatchObject({ state: "pending", consumer: "bob", deliveries: 1 });
    expect(byId["4-0"]?.g1).toEqual({ state: "delivered" });
    expect(byId["6-0"]?.g2).toEqual({ state: "acked" });
    expect(byId["7-0"]).toMatchObject({
      g1: { state: "delivered" },
      g2: { state: "pending", consumer: "carol", deliveries: 1 },
    });
    expect(res.body.next).toBeNull();
    expect(res.body.orphaned).toEqual({ count: 0, ids: [], truncated: false });
  });

  it("treats an id claimed with XCLAIM FORCE above last-delivered-id as pending", async () => {
    const forced = `${prefix}forced`;
    await redis.xadd(forced, "1-0", "a", "1");
    await redis.xadd(forced, "2-0", "a", "2");
    await redis.xgroup("CREATE", forced, "g", "0");
    await redis.xclaim(forced, "g", "dave", 0, "2-0", "FORCE");
    const res = await entries(forced);
    expect(res.body.entries.map((e) => e.states.g?.state)).toEqual(["delivered", "pending"]);
    expect(res.body.entries[1]?.states.g).toMatchObject({ consumer: "dave" });
  });

  it("lists orphaned pending ids after XDEL of a pending entry", async () => {
    const key2 = `${prefix}orphans`;
    await redis.xgroup("CREATE", key2, "g", "0", "MKSTREAM");
    for (let i = 1; i <= 4; i++) await redis.xadd(key2, `${i}-0`, "n", String(i));
    await redis.xreadgroup("GROUP", "g", "c", "STREAMS", key2, ">");
    await redis.xdel(key2, "2-0", "4-0");
    const res = await entries(key2);
    expect(res.body.entries.map((e) => e.id)).toEqual(["1-0", "3-0"]);
    expect(res.body.orphaned).toEqual({ count: 2, ids: ["2-0", "4-0"], truncated: false });
    // Paged one at a time, every orphan is still reported exactly once across pages.
    const seen: string[] = [];
    let start: string | undefined;
    for (;;) {
      const page = await entries(key2, { count: 1, ...(start ? { start } : {}) });
      seen.push(...page.body.orphaned.ids);
      if (!page.body.next) break;
      start = page.body.next;
    }
    expect(seen).toEqual(["2-0", "4-0"]);
    // Newest first, the first page covers everything above its lowest id, up to +.
    const desc = await entries(key2, { order: "desc", count: 1 });
    expect(desc.body.entries.map((e) => e.id)).toEqual(["3-0"]);
    expect(desc.body.orphaned.ids).toEqual(["4-0"]);
    const descRest = await entries(key2, { order: "desc", count: 1, start: desc.body.next! });
    expect(descRest.body.orphaned.ids).toEqual(["2-0"]);
  });
});

describe("values and shapes", () => {
  it("returns non-UTF-8 values as base64, keeps repeated names and empty values in order", async () => {
    const key = `${prefix}bin`;
    const bad = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await redis.xadd(key, "1-0", "blob", bad, "k", "a", "k", "", "k", "c");
    const res = await entries(key);
    expect(res.body.entries[0]?.fields).toEqual([
      ["blob", { base64: bad.toString("base64") }],
      ["k", "a"],
      ["k", ""],
      ["k", "c"],
    ]);
  });

  it("answers an empty stream with no entries, not 404", async () => {
    const key = `${prefix}empty`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    const res = await entries(key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entries: [],
      next: null,
      orphaned: { count: 0, ids: [], truncated: false },
      asOf: expect.any(Number),
    });
  });

  it("404 for a missing key, 409 for another type", async () => {
    expect((await entries(`${prefix}missing`)).status).toBe(404);
    expect((await entries(`${prefix}missing`)).body.error.code).toBe("NOT_FOUND");
    await redis.set(`${prefix}str`, "x");
    const res = await entries(`${prefix}str`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("WRONG_TYPE");
  });

  it.each([
    [{ start: "abc" }],
    [{ end: "1-2-3" }],
    [{ start: "(5" }],
    [{ count: 0 }],
    [{ count: 1001 }],
    [{ count: "ten" }],
    [{ count: "-1" }],
    [{ order: "sideways" }],
    [{ start: "time:yesterday" }],
  ])("400 for %j", async (query) => {
    const key = `${prefix}valid`;
    await redis.xadd(key, "*", "a", "1");
    const res = await entries(key, query as Record<string, string | number>);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BAD_REQUEST");
  });

  it.each(["a/b", "100%", "what?", "hash#tag", "with space", "{braces}", "ünï©ødé 🚀"])(
    "serves the key %j",
    async (suffix) => {
      const key = `${prefix}${suffix}`;
      await redis.xadd(key, "1-0", "f", suffix);
      const res = await entries(key);
      expect(res.status).toBe(200);
      expect(res.body.entries[0]?.fields).toEqual([["f", suffix]]);
    },
  );

  it("accepts ms-only ids and time:<ms> bounds", async () => {
    const key = `${prefix}times`;
    for (const id of ["1000-0", "1000-1", "2000-0", "3000-0"]) await redis.xadd(key, id, "a", id);
    const ids = async (q: Record<string, string>) => (await entries(key, q)).body.entries.map((e) => e.id);
    expect(await ids({ start: "1000", end: "1000" })).toEqual(["1000-0", "1000-1"]);
    expect(await ids({ start: "time:2000" })).toEqual(["2000-0", "3000-0"]);
    expect(await ids({ start: "time:2000", order: "desc" })).toEqual(["2000-0", "1000-1", "1000-0"]);
  });
});

describe("paging", () => {
  async function walk(key: string, order: "asc" | "desc", count: number): Promise<string[]> {
    const seen: string[] = [];
    let start: string | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const page = await readEntries(redis, key, { count, order, ...(start ? { start } : {}) });
      expect(page.entries.length).toBeLessThanOrEqual(count);
      seen.push(...page.entries.map((e) => e.id));
      if (page.next === null) return seen;
      expect(page.entries.length).toBe(count);
      start = page.next;
    }
    throw new Error("paging did not end");
  }

  it("visits every entry exactly once in both orders for random sizes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 }), async (size, count) => {
        const key = `${prefix}page:${size}:${count}:${Math.random()}`;
        await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
        const pipeline = redis.pipeline();
        // Same ms with growing seq and jumps in ms: string order differs from id order.
        for (let i = 0; i < size; i++) pipeline.xadd(key, `${Math.floor(i / 3) * 7 + 9}-${i % 3}`, "i", String(i));
        await pipeline.exec();
        const all = (await redis.xrange(key, "-", "+")).map(([id]) => id);
        expect(await walk(key, "asc", count)).toEqual(all);
        expect(await walk(key, "desc", count)).toEqual([...all].reverse());
        await redis.del(key);
      }),
      { numRuns: 25 },
    );
  });

  it("a full last page answers next null (no empty trailing page)", async () => {
    const key = `${prefix}exact`;
    for (let i = 1; i <= 4; i++) await redis.xadd(key, `${i}-0`, "n", String(i));
    const first = await entries(key, { count: 2, order: "desc" });
    expect(first.body.entries.map((e) => e.id)).toEqual(["4-0", "3-0"]);
    expect(first.body.next).toBe("(3-0");
    const second = await entries(key, { count: 2, order: "desc", start: first.body.next! });
    expect(second.body.entries.map((e) => e.id)).toEqual(["2-0", "1-0"]);
    expect(second.body.next).toBeNull();
  });
});

describe("search", () => {
  const key = `${prefix}search`;
  beforeAll(async () => {
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    const pipeline = redis.pipeline();
    for (let i = 1; i <= 2500; i++)
      pipeline.xadd(key, `${i}-0`, "kind", i % 500 === 0 ? "Needle-Order" : "hay", "other", "needle");
    await pipeline.exec();
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 500, "STREAMS", key, ">");
  });

  function search(query: Record<string, string | number>) {
    return callRoute<SearchResponse & ErrorRes>(getSearch as never, `/api/streams/${encodeURIComponent(key)}/search`, {
      params: { key },
      query,
    });
  }

  it("scans at most scanLimit entries and continues with next", async () => {
    const first = await search({ q: "needle-order", field: "kind", scanLimit: 1200 });
    expect(first.status).toBe(200);
    expect(first.body.scanned).toBe(1200);
    expect(first.body.entries.map((e) => e.id)).toEqual(["500-0", "1000-0"]);
    expect(first.body.entries[0]?.states.g).toMatchObject({ state: "pending", consumer: "c" });
    expect(first.body.entries[1]?.states.g).toEqual({ state: "delivered" });
    expect(first.body.next).toBe("(1200-0");
    const second = await search({ q: "NEEDLE-ORDER", field: "kind", scanLimit: 10_000, start: first.body.next! });
    expect(second.body.scanned).toBe(1300);
    expect(second.body.entries.map((e) => e.id)).toEqual(["1500-0", "2000-0", "2500-0"]);
    expect(second.body.next).toBeNull();
  });

  it("matches any field without field, newest first, and stops at count matches", async () => {
    const res = await searchEntries(redis, key, { q: "needle", order: "desc", scanLimit: 1000, count: 3 });
    expect(res.entries.map((e) => e.id)).toEqual(["2500-0", "2499-0", "2498-0"]);
    expect(res.scanned).toBe(3);
    expect(res.next).toBe("(2498-0");
  });

  it("400 above the scan cap or without q", async () => {
    expect((await search({ q: "x", scanLimit: 10_001 })).status).toBe(400);
    expect((await search({})).status).toBe(400);
  });
});
