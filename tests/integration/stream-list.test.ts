import { getSettings } from "@/lib/config/settings";
import { afterAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { GET as detailRoute } from "@/app/api/streams/[key]/route";
import { GET as overviewRoute } from "@/app/api/overview/route";
import type { OverviewSummary, StreamDetail, StreamsListResponse } from "@/lib/contract/streams";
import { resetProcessState } from "@/lib/runtime/state";
import { appKey } from "@/lib/redis/app-keys";
import { closeRedis, getRedis } from "@/lib/redis/client";
import { freePort } from "@/scripts/lib/redis-server";
import { listStreams } from "@/lib/streams/list";
import { summarizeOverview } from "@/lib/streams/summary";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { untilAppIndexWhole } from "../helpers/stream-index";

const redis = testRedis();
const prefix = uniquePrefix("list");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

type ErrorRes = { error: { code: string; message: string } };

async function listAll(match: string, count = 10): Promise<StreamsListResponse["streams"]> {
  const rows: StreamsListResponse["streams"] = [];
  let cursor = "0";
  let pages = 0;
  do {
    const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
      query: { match, cursor, count },
    });
    expect(res.status).toBe(200);
    rows.push(...res.body.streams);
    cursor = res.body.cursor;
    pages++;
  } while (cursor !== "0" && pages < 1000);
  return rows;
}

describe("GET /api/streams", () => {
  it("walks every SCAN page: only streams under the match, each once (deduplicated by the caller), no other types", async () => {
    const p = `${prefix}walk:`;
    for (let i = 0; i < 25; i++) await redis.xadd(`${p}s${i}`, "*", "a", "1");
    await redis.set(`${p}string`, "x");
    await redis.hset(`${p}hash`, "f", "v");
    const rows = await listAll(`${p}*`, 5);
    const keys = [...new Set(rows.map((r) => r.key))].sort();
    expect(keys).toHaveLength(25);
    expect(keys.every((k) => k.startsWith(`${p}s`))).toBe(true);
    expect(rows[0]).toMatchObject({ length: 1, groupCount: 0, pending: 0, lag: null, lagUnknown: false });
  });

  it("hides the app's own keys", async () => {
    const own = appKey("history", prefix, "x");
    await redis.xadd(own, "*", "a", "1");
    try {
      const direct = await listStreams(getRedis(), await getSettings(getRedis()), {
        match: `${appKey("history")}*`,
        cursor: "0",
        count: 1000,
      });
      expect(direct.streams.find((r) => r.key === own)).toBeUndefined();
      const rows = await listAll("*", 1000);
      expect(rows.find((r) => r.key === own)).toBeUndefined();
    } finally {
      await redis.del(own);
    }
  });

  it("400 for a bad count, a count above 10,000 (refused, not clamped), a bad cursor and an empty match", async () => {
    const bad: Record<string, string | number>[] = [
      { count: "abc" },
      { count: 0 },
      { count: 10_001 },
      { count: "1.5" },
      { cursor: "x1" },
      { cursor: "99999999999999999999999" },
      { match: "" },
    ];
    for (const query of bad) {
      const res = await callRoute<ErrorRes>(listRoute as never, "/api/streams", { query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
    }
    const max = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
      query: { count: 10_000, match: `${prefix}nothing*` },
    });
    expect(max.status).toBe(200);
  });

  it("keys with /, %, ?, #, spaces, braces and unicode come back from the list and open through the detail route", async () => {
    const odd = [
      `${prefix}a/b`,
      `${prefix}100%`,
      `${prefix}q?x=1`,
      `${prefix}#frag`,
      `${prefix}with space`,
      `${prefix}{tag}`,
      `${prefix}ünï✓😀`,
    ];
    for (const k of odd) await redis.xadd(k, "*", "a", "1");
    const listed = new Set((await listAll(`${prefix}*`, 1000)).map((r) => r.key));
    for (const k of odd) {
      expect(listed.has(k)).toBe(true);
      const path = `/api/streams/${encodeURIComponent(k)}`;
      // Next hands the handler the decoded segment.
      const segment = decodeURIComponent(path.slice("/api/streams/".length));
      const res = await callRoute<StreamDetail>(detailRoute as never, path, { params: { key: segment } });
      expect(res.status).toBe(200);
      expect(res.body.key).toBe(k);
    }
  });
});

describe("overview summary", () => {
  it("counts streams, pending, oldest pending and stuck messages over the default 30 s threshold", async () => {
    const p = `${prefix}sum:`;
    const old = Date.now() - 120_000;
    const a = `${p}a`;
    for (let i = 0; i < 4; i++) await redis.xadd(a, `${old + i}-0`, "n", String(i));
    await redis.xgroup("CREATE", a, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 4, "STREAMS", a, ">");
    // Two of the four have been idle for a minute; the other two were just delivered.
    await redis.xclaim(a, "g", "c", 0, `${old}-0`, `${old + 1}-0`, "IDLE", 60_000, "JUSTID");
    const b = `${p}b`;
    await redis.xadd(b, "*", "n", "1");
    await redis.xgroup("CREATE", b, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "STREAMS", b, ">");
    await redis.xgroup("CREATE", `${p}empty`, "g", "$", "MKSTREAM");

    const summary = await summarizeOverview(getRedis(), await getSettings(getRedis()), { match: `${p}*` });
    expect(summary).toMatchObject({
      streams: 3,
      totalPending: 5,
      stuck: 2,
      stuckCapped: false,
      complete: true,
      stuckCap: 1000,
    });
    expect(summary.oldestPendingMs).toBeGreaterThanOrEqual(119_000);
    expect(summary.oldestPendingMs).toBeLessThan(200_000);
  });

  it("stops counting at the cap and says so; stops listing at the stream cap and says so", async () => {
    const p = `${prefix}cap:`;
    const old = Date.now() - 120_000;
    for (const s of ["x", "y"]) {
      const key = `${p}${s}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(String(await redis.xadd(key, `${old + i}-0`, "n", String(i))));
      await redis.xgroup("CREATE", key, "g", "0");
      await redis.xreadgroup("GROUP", "g", "c", "STREAMS", key, ">");
      await redis.xclaim(key, "g", "c", 0, ...ids, "IDLE", 60_000, "JUSTID");
    }
    const capped = await summarizeOverview(getRedis(), await getSettings(getRedis()), { match: `${p}*`, stuckCap: 7 });
    expect(capped).toMatchObject({ stuck: 7, stuckCapped: true, totalPending: 10 });
    const exact = await summarizeOverview(getRedis(), await getSettings(getRedis()), { match: `${p}*`, stuckCap: 100 });
    expect(exact).toMatchObject({ stuck: 10, stuckCapped: false });
    const partial = await summarizeOverview(getRedis(), await getSettings(getRedis()), {
      match: `${p}*`,
      streamCap: 1,
    });
    expect(partial).toMatchObject({ streams: 1, complete: false, streamCap: 1 });
  });

  it("GET /api/overview answers the summary; 400 on an empty match", async () => {
    await untilAppIndexWhole();
    const res = await callRoute<OverviewSummary>(overviewRoute as never, "/api/overview", {
      query: { match: `${prefix}none*` },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ streams: 0, totalPending: 0, stuck: 0, oldestPendingMs: null, complete: true });
    expect(Array.isArray(res.body.familyPatterns)).toBe(true);
    const bad = await callRoute<ErrorRes>(overviewRoute as never, "/api/overview", { query: { match: "" } });
    expect(bad.status).toBe(400);
  });
});

describe("Redis down", () => {
  it("every route answers 503 REDIS_UNAVAILABLE, and works again once Redis is back", async () => {
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`;
    resetProcessState();
    await closeRedis();
    try {
      for (const [handler, path, params] of [
        [listRoute, "/api/streams", {}],
        [detailRoute, "/api/streams/x", { key: "x" }],
        [overviewRoute, "/api/overview", {}],
      ] as const) {
        const res = await callRoute<ErrorRes>(handler as never, path, { params });
        expect(res.status, path).toBe(503);
        expect(res.body.error.code).toBe("REDIS_UNAVAILABLE");
      }
    } finally {
      process.env.REDIS_URL = saved;
      resetProcessState();
      await closeRedis();
    }
    const ok = await callRoute(listRoute as never, "/api/streams", { query: { match: `${prefix}none*` } });
    expect(ok.status).toBe(200);
  });
});

describe("Server-Timing", () => {
  it("every answer, an error too, says how long its handler took (app;dur in ms)", async () => {
    await redis.xadd(`${prefix}timed`, "*", "f", "v");
    const ok = await callRoute(listRoute as never, "/api/streams", { query: { match: `${prefix}timed` } });
    const bad = await callRoute(listRoute as never, "/api/streams", { query: { count: "junk" } });
    expect([ok.status, bad.status]).toEqual([200, 400]);
    for (const res of [ok, bad]) {
      const timing = /^app;dur=(\d+\.\d)$/.exec(res.headers.get("server-timing") ?? "");
      expect(timing, res.headers.get("server-timing") ?? "no Server-Timing").not.toBeNull();
      expect(Number(timing![1])).toBeGreaterThanOrEqual(0);
    }
  });
});
