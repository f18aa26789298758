import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEntries } from "@/app/api/streams/[key]/entries/route";
import { GET as getEntry } from "@/app/api/streams/[key]/entries/[id]/route";
import { GET as getSearch } from "@/app/api/streams/[key]/search/route";
import { GET as getPending } from "@/app/api/streams/[key]/groups/[group]/pending/route";
import type { EntriesResponse, SearchResponse, StreamEntry } from "@/lib/contract/entries";
import type { PendingPageResponse } from "@/lib/contract/pending";
import { isTruncated, type ListValue } from "@/lib/contract/common";
import { closeRedis, getConnection } from "@/lib/redis/client";
import { countUnprocessed } from "@/lib/streams/unprocessed";
import { watchCommands } from "../helpers/monitor";
import { subscribe, type TailBatch } from "@/lib/streams/tail";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { expectNoSlowDashboardCommands, fromDashboardOn, resetSlowLog } from "../helpers/slowlog";

const redis = testRedis();
const prefix = uniquePrefix("valuecap");
const big = `${prefix}big`;
const wide = `${prefix}wide`;
const mid = `${prefix}mid`;
const MiB = 1024 * 1024;
const LIMIT = 1.1 * MiB;
type ErrorRes = { error: { code: string; message: string } };

const enc = encodeURIComponent;
const call = <T>(
  handler: unknown,
  path: string,
  params: Record<string, string>,
  query: Record<string, string | number> = {},
) => callRoute<T & ErrorRes>(handler as never, path, { params, query });

function bytesOf(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body), "utf8");
}

function expectCut(v: ListValue | undefined, bytes: number) {
  expect(v !== undefined && isTruncated(v)).toBe(true);
  expect(v).toMatchObject({ truncated: true, bytes });
}

const ids: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 20; i++) {
    const value = Buffer.alloc(2 * MiB, 97 + (i % 26));
    ids.push((await redis.xadd(big, "*", "payload", value, "small", `n${i}`))!);
  }
  await redis.call("XADD", big, "*", "bin", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.alloc(40_000, 1)]));
  ids.push((await redis.xrevrange(big, "+", "-", "COUNT", 1))[0]![0]);
  await redis.xgroup("CREATE", big, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c1", "COUNT", 100, "STREAMS", big, ">");
  const args: string[] = [];
  for (let i = 0; i < 5000; i++) args.push(`f${i}`, `v${i}`);
  await redis.xadd(wide, "*", ...args);
  for (let i = 0; i < 300; i += 50) {
    const pipe = redis.pipeline();
    for (let j = i; j < i + 50; j++) pipe.xadd(mid, `${j + 1}-0`, "v", "m".repeat(15 * 1024));
    await pipe.exec();
  }
  await redis.xgroup("CREATE", mid, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c1", "COUNT", 1000, "STREAMS", mid, ">");
  await resetSlowLog(redis);
}, 60_000);

afterAll(async () => {
  await redis.config("SET", "slowlog-log-slower-than", "10000");
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("every list answer bounded in bytes", () => {
  it("cuts 2 MiB values with their byte count, stops pages at the budget and pages through every id once", async () => {
    const seen: string[] = [];
    let start: string | undefined;
    let pages = 0;
    do {
      const res = await call<EntriesResponse>(
        getEntries,
        `/api/streams/${enc(big)}/entries`,
        { key: big },
        { count: 1000, ...(start ? { start } : {}) },
      );
      expect(res.status).toBe(200);
      expect(bytesOf(res.body)).toBeLessThan(LIMIT);
      for (const e of res.body.entries) {
        seen.push(e.id);
        if (e.fields[0]?.[0] === "payload") {
          expectCut(e.fields[0][1], 2 * MiB);
          expect(e.fields[1]).toEqual(["small", `n${ids.indexOf(e.id)}`]);
        }
      }
      start = res.body.next ?? undefined;
      pages++;
    } while (start && pages < 50);
    expect(seen).toEqual(ids);
  });

  it("stops a page of values under the limit at the answer budget, and paging hands out every id once", async () => {
    for (const order of ["asc", "desc"] as const) {
      const seen: string[] = [];
      let start: string | undefined;
      let pages = 0;
      do {
        const res = await call<EntriesResponse>(
          getEntries,
          "",
          { key: mid },
          { count: 1000, order, ...(start ? { start } : {}) },
        );
        expect(bytesOf(res.body)).toBeLessThan(LIMIT);
        expect(res.body.entries.length).toBeLessThan(300);
        for (const e of res.body.entries) {
          expect(typeof e.fields[0]![1]).toBe("string");
          seen.push(e.id);
        }
        start = res.body.next ?? undefined;
        pages++;
      } while (start && pages < 50);
      const want = Array.from({ length: 300 }, (_, i) => `${i + 1}-0`);
      expect(seen).toEqual(order === "asc" ? want : want.reverse());
      expect(pages).toBeGreaterThanOrEqual(5);
    }
    const seen: string[] = [];
    let start: string | undefined;
    let pages = 0;
    do {
      const res = await call<PendingPageResponse>(
        getPending,
        "",
        { key: mid, group: "g" },
        { withFields: 1, count: 1000, ...(start ? { start } : {}) },
      );
      expect(bytesOf(res.body)).toBeLessThan(LIMIT);
      seen.push(...res.body.entries.map((e) => e.id));
      start = res.body.next ?? undefined;
      pages++;
    } while (start && pages < 50);
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    expect(pages).toBeGreaterThanOrEqual(5);
  });

  it("marks a binary value with previewBase64", async () => {
    const res = await call<EntriesResponse>(
      getEntries,
      `/api/streams/${enc(big)}/entries`,
      { key: big },
      { order: "desc", count: 1 },
    );
    const v = res.body.entries[0]!.fields[0]![1];
    expectCut(v, 40_002);
    expect(v).toHaveProperty("previewBase64");
    expect(Buffer.from((v as { previewBase64: string }).previewBase64, "base64").subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xfe]),
    );
  });

  it("returns one entry whole, uncut, at /entries/{id}; 404 for a missing id, 400 for a bad one", async () => {
    const res = await call<StreamEntry>(getEntry, `/api/streams/${enc(big)}/entries/${ids[3]}`, {
      key: big,
      id: ids[3]!,
    });
    expect(res.status).toBe(200);
    const value = res.body.fields[0]![1];
    expect(typeof value).toBe("string");
    expect((value as string).length).toBe(2 * MiB);
    expect(value).toBe("d".repeat(2 * MiB));
    expect(res.body.states.g).toMatchObject({ state: "pending", consumer: "c1" });
    const missing = await call(getEntry, "", { key: big, id: "1-1" });
    expect(missing.status).toBe(404);
    for (const bad of ["abc", "12", "1-2-3", "99999999999999999999999-0"]) {
      const r = await call(getEntry, "", { key: big, id: bad });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBeTruthy();
    }
    expect((await call(getEntry, "", { key: `${prefix}none`, id: "1-1" })).status).toBe(404);
  });

  it("bounds search results the same way", async () => {
    const res = await call<SearchResponse>(
      getSearch,
      `/api/streams/${enc(big)}/search`,
      { key: big },
      { q: "aaaa", count: 1000 },
    );
    expect(res.status).toBe(200);
    expect(bytesOf(res.body)).toBeLessThan(LIMIT);
    expect(res.body.entries.length).toBeGreaterThan(0);
    for (const e of res.body.entries) expectCut(e.fields[0]![1], 2 * MiB);
  });

  it("bounds the pending page with fields and pages through every id once", async () => {
    const seen: string[] = [];
    let start: string | undefined;
    let pages = 0;
    do {
      const res = await call<PendingPageResponse>(
        getPending,
        "",
        { key: big, group: "g" },
        { withFields: 1, count: 1000, ...(start ? { start } : {}) },
      );
      expect(res.status).toBe(200);
      expect(bytesOf(res.body)).toBeLessThan(LIMIT);
      for (const e of res.body.entries) {
        seen.push(e.id);
        const v = e.fields?.[0]?.[1];
        expect(v !== undefined && isTruncated(v)).toBe(true);
      }
      start = res.body.next ?? undefined;
      pages++;
    } while (start && pages < 50);
    expect(seen).toEqual(ids);
  });

  it("lists the first 100 of 5,000 fields with fieldsOmitted", async () => {
    const res = await call<EntriesResponse>(getEntries, `/api/streams/${enc(wide)}/entries`, { key: wide });
    const e = res.body.entries[0]!;
    expect(e.fields).toHaveLength(100);
    expect(e.fields[99]).toEqual(["f99", "v99"]);
    expect(e.fieldsOmitted).toBe(4900);
    const whole = await call<StreamEntry>(getEntry, "", { key: wide, id: e.id });
    expect(whole.body.fields).toHaveLength(5000);
    expect(whole.body.fieldsOmitted).toBeUndefined();
  });

  it("cuts values in the live tail's events the same way", async () => {
    const key = `${prefix}tail`;
    await redis.xadd(key, "1-0", "x", "y");
    const batches: TailBatch[] = [];
    const sub = await subscribe(key, { onBatch: (b) => batches.push(b), onError: () => {} });
    try {
      await redis.xadd(key, "2-0", "payload", Buffer.alloc(2 * MiB, 120));
      const end = Date.now() + 5000;
      while (batches.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      const entry = batches.flatMap((b) => b.entries).find((e) => e.id === "2-0");
      expectCut(entry?.fields[0]?.[1], 2 * MiB);
      expect(bytesOf(batches)).toBeLessThan(64 * 1024);
    } finally {
      sub.unsubscribe();
    }
  });

  it("reads bursts of 2 MiB entries in the live tail in bounded reads, every entry seen or counted as skipped", async () => {
    const key = `${prefix}tailburst`;
    await redis.xadd(key, "1-0", "payload", Buffer.alloc(2 * MiB, 96));
    const batches: TailBatch[] = [];
    const sub = await subscribe(key, { onBatch: (b) => batches.push(b), onError: () => {} });
    const seen = () => batches.reduce((n, b) => n + b.entries.length + b.skipped, 0);
    try {
      await resetSlowLog(redis);
      // Two bursts, each added at once: a tail that read a whole burst per XREAD (24 MiB, 25-70 ms
      // inside Redis here) would leave two slow entries, which the slow-log check holds.
      for (let burst = 0; burst < 2; burst++) {
        const multi = redis.multi();
        for (let i = 0; i < 12; i++)
          multi.xadd(key, `${burst * 12 + i + 2}-0`, "payload", Buffer.alloc(2 * MiB, 97 + i));
        await multi.exec();
        const end = Date.now() + 15_000;
        while (seen() < (burst + 1) * 12 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen()).toBe(24);
      const ids = batches.flatMap((b) => b.entries.map((e) => e.id));
      expect(ids.at(-1)).toBe("25-0");
      expect(new Set(ids).size).toBe(ids.length);
      await expectNoSlowDashboardCommands(redis, fromDashboardOn(prefix));
    } finally {
      sub.unsubscribe();
    }
  });

  it("counts a group's waiting entries of 2 MiB when Redis cannot tell its lag, reading at most a few MiB", async () => {
    const key = `${prefix}waiting`;
    const first = (await redis.xadd(key, "*", "n", "0"))!;
    const fat: string[] = [];
    for (let i = 0; i < 13; i++) fat.push((await redis.xadd(key, "*", "payload", Buffer.alloc(2 * MiB, 97 + i)))!);
    // A deleted entry the group has not reached: Redis cannot tell its lag (XINFO GROUPS says nil).
    await redis.xgroup("CREATE", key, "g", first);
    await redis.xdel(key, fat[4]!);
    const groups = (await redis.call("XINFO", "GROUPS", key)) as unknown[][];
    expect(groups[0]![groups[0]!.indexOf("lag") + 1]).toBeNull();
    const watch = await watchCommands(process.env.REDIS_URL!);
    const counted = await countUnprocessed(await getConnection(), key);
    // The first read of a reply could be slow only once (fresh memory) and fast when replayed, so
    // the slow log cannot tell: the reads themselves must ask for one entry of 2 MiB at a time.
    const reads = (await watch.stop()).filter((l) => /^"xrange"/i.test(l) && l.includes(key));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((l) => !l.endsWith('"COUNT" "1"'))).toEqual([]);
    // "At least": the count stops after about 4 MiB of entries read.
    expect(counted.waiting).toBeGreaterThanOrEqual(2);
    expect(counted.waiting).toBeLessThanOrEqual(12);
  });

  it("left no dashboard command in the slow log (10 ms)", async () => {
    await expectNoSlowDashboardCommands(redis, fromDashboardOn(prefix));
  });
});
