/**
 * The stream list's answers stay under ANSWER_LIMIT_BYTES (here its least, 64 KiB) on streams whose
 * keys are long: the index form stops early and says where the rest starts (`index.next`), the
 * cursor form stops at a SCAN call's end, and the cursor page's SCAN calls ask for at most
 * SCAN_CALL_COUNT slots whatever `count` asks; a stream's detail lists the groups that fit, the most
 * pending first. On a private server: its keys are this file's.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { GET as detailRoute } from "@/app/api/streams/[key]/route";
import type { StreamDetail, StreamsListResponse } from "@/lib/contract/streams";
import { SCAN_CALL_COUNT } from "@/lib/streams/list";
import { streamsClient } from "@/lib/client/streams";
import { watchCommands } from "../helpers/monitor";
import { privateRedis } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { untilAppIndexWhole } from "../helpers/stream-index";

const LIMIT = 65_536;
process.env.ANSWER_LIMIT_BYTES = String(LIMIT);
const own = privateRedis();

const LONG = 300;
const SHORT = 200;
const longKey = (i: number) => `long:${String(i).padStart(4, "0")}:${"k".repeat(1000)}`;
const shortKey = (i: number) => `short:${String(i).padStart(4, "0")}`;
const all = [
  ...Array.from({ length: LONG }, (_, i) => longKey(i)),
  ...Array.from({ length: SHORT }, (_, i) => shortKey(i)),
].sort();

type Answer = { status: number; body: StreamsListResponse; bytes: number };

async function list(query: Record<string, string | number>): Promise<Answer> {
  const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", { query });
  return { status: res.status, body: res.body, bytes: Buffer.byteLength(JSON.stringify(res.body), "utf8") };
}

beforeAll(async () => {
  const pipe = own.raw().pipeline();
  for (const key of all) pipe.xadd(key, "*", "n", "1");
  // Other types the SCAN walks past.
  for (let i = 0; i < 2000; i++) pipe.set(`other:${i}`, "x");
  await pipe.exec();
  await untilAppIndexWhole();
}, 60_000);

describe("the stream index's pages, on 1 KiB keys", () => {
  it("stop under the byte limit and say where the rest starts; following `next` lists every stream once, in order", async () => {
    const seen: string[] = [];
    let offset = 0;
    let answers = 0;
    let cut = 0;
    do {
      const res = await list({ offset, count: 1000 });
      expect(res.status).toBe(200);
      expect(res.bytes).toBeLessThanOrEqual(LIMIT);
      seen.push(...res.body.streams.map((r) => r.key));
      const next = res.body.index!.next;
      if (next !== undefined) {
        cut++;
        expect(next).toBe(offset + res.body.streams.length);
      }
      offset = next ?? offset + 1000;
      answers++;
      expect(res.body.index!.total).toBe(all.length);
    } while (offset < all.length && answers < 100);
    expect(seen).toEqual(all);
    // 300 rows of 1 KiB keys do not fit in 64 KiB: the first page was cut several times.
    expect(cut).toBeGreaterThanOrEqual(4);
  });

  it("an answer that fits says no `next`", async () => {
    const res = await list({ offset: 0, count: 50, match: "short:*" });
    expect(res.body.streams.map((r) => r.key)).toEqual(all.filter((k) => k.startsWith("short:")).slice(0, 50));
    expect(res.body.index!.next).toBeUndefined();
  });

  it("the overview's client assembles a cut page from several answers: every row of the page, once", async () => {
    const origin = "http://127.0.0.1:3000";
    const realFetch = globalThis.fetch;
    const asked: string[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), origin);
      asked.push(url.search);
      const res = await listRoute(new Request(url, { headers: { host: "127.0.0.1:3000" } }), {
        params: Promise.resolve({}),
      } as never);
      return res;
    }) as typeof fetch;
    try {
      const page = await streamsClient.indexPage({ offset: 100, count: 200 });
      expect(page.streams.map((r) => r.key)).toEqual(all.slice(100, 300));
      expect(page.index).toMatchObject({ offset: 100, count: 200, total: all.length });
      expect(page.index!.next).toBeUndefined();
      expect(asked.length).toBeGreaterThan(1);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe("a SCAN cursor page, on 1 KiB keys", () => {
  it("stops under the byte limit at a call's end, asks SCAN for at most SCAN_CALL_COUNT slots a call, and loses no stream", async () => {
    const watch = await watchCommands(own.server().url);
    const seen = new Set<string>();
    let cursor = "0";
    let answers = 0;
    do {
      const res = await list({ cursor, count: 10_000 });
      expect(res.status).toBe(200);
      expect(res.bytes).toBeLessThanOrEqual(LIMIT);
      for (const row of res.body.streams) seen.add(row.key);
      cursor = res.body.cursor;
      answers++;
    } while (cursor !== "0" && answers < 1000);
    const counts = (await watch.stop())
      .filter((l) => /^"SCAN"/i.test(l))
      .map((l) => Number(/"COUNT" "(\d+)"/i.exec(l)?.[1]));
    expect(counts.length).toBeGreaterThan(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(SCAN_CALL_COUNT);
    expect([...seen].sort()).toEqual(all);
    // 10,000 slots asked each time, but 1 KiB keys stop a page after about 55 rows.
    expect(answers).toBeGreaterThan(LONG / 60);
  });
});

describe("a stream's detail, on 400 groups with long names", () => {
  it("lists the groups that fit under the byte limit, the ones with pending messages among them, and counts the rest", async () => {
    const key = "many-groups";
    const redis = own.raw();
    await redis.xadd(key, "*", "n", "1");
    const name = (i: number) => `group:${String(i).padStart(3, "0")}:${"g".repeat(300)}`;
    const pipe = redis.pipeline();
    for (let i = 0; i < 400; i++) pipe.xgroup("CREATE", key, name(i), "0");
    await pipe.exec();
    // Two groups near the end of Redis's order hold a pending message.
    for (const i of [390, 397]) await redis.xreadgroup("GROUP", name(i), "c", "COUNT", 1, "STREAMS", key, ">");
    const res = await callRoute<StreamDetail>(detailRoute as never, `/api/streams/${encodeURIComponent(key)}`, {
      params: { key },
    });
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(JSON.stringify(res.body), "utf8")).toBeLessThanOrEqual(LIMIT);
    const { groups, groupsOmitted, groupCount, pending } = res.body;
    expect(groupCount).toBe(400);
    expect(pending).toBe(2);
    expect(groupsOmitted).toBeGreaterThan(0);
    expect(groups.length + groupsOmitted!).toBe(400);
    const names = groups.map((g) => g.name);
    expect(names.slice(0, 2)).toEqual([name(0), name(1)]);
    expect(names).toContain(name(390));
    expect(names).toContain(name(397));
    expect(names).toEqual([...names].sort());
  });
});
