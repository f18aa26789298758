/**
 * Shared reads against a private redis-server (its INFO commandstats count only this file's
 * commands): identical polled reads of one scope share one run of the route, another scope never
 * gets that answer, a change clears its stream's answers (or all), and the overview's stuck counts come from the kept
 * snapshot while it is fresh (live when it is missing or stale).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Redis from "ioredis";
import { hashToken } from "@/lib/auth/token-hash";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { keepStuckSnapshot, summarizeOverview } from "@/lib/streams/summary";
import { listStreams } from "@/lib/streams/list";
import { stuckSnapshotJob } from "@/lib/worker/jobs";
import { readStuckSnapshot, storeStuckSnapshot, stuckSnapshotKey } from "@/lib/streams/stuck-snapshot";
import type { OverviewSummary, StreamsListResponse } from "@/lib/contract/streams";
import * as overviewRoute from "@/app/api/overview/route";
import * as streamsRoute from "@/app/api/streams/route";
import * as groupRoute from "@/app/api/streams/[key]/groups/[group]/route";
import * as ackRoute from "@/app/api/streams/[key]/groups/[group]/ack/route";
import * as historySampleRoute from "@/app/api/history/sample/route";
import { privateRedis } from "../helpers/redis";
import { measureCommands } from "../helpers/command-stats";
import { untilAppIndexWhole } from "../helpers/stream-index";
import { callRoute } from "../helpers/route";
import { seedPending } from "../helpers/pending";
import { TEST_SESSION_SECRET, useAppPrefix, useConfig } from "../helpers/auth";
import { settingsFrom, sleep } from "../helpers/worker";

type Handler = Parameters<typeof callRoute>[0];
const TOKENS = {
  all: "tok-shared-all-0123456789abcdef0123456789",
  orders: "tok-shared-orders-0123456789abcdef012345",
  payments: "tok-shared-payments-0123456789abcdef0123",
};
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const STUCK_AFTER_MS = 100;

const own = privateRedis();
let redis: Redis;
const saved = { cache: process.env.READ_CACHE_MS };

/**
 * The cache setting for the next requests, in a fresh process state, whose stream index has ended
 * its first pass (a loaded machine may not end it within a request's budget, and an overview of
 * part of the streams would then be compared).
 */
async function useCacheMs(ms: number) {
  process.env.READ_CACHE_MS = String(ms);
  resetProcessState();
  await untilAppIndexWhole();
  // Kept answers all end at the next multiple of READ_CACHE_MS on the clock: start in the first half
  // of a window, so that no boundary falls between the reads a test expects to share.
  const left = ms - (Date.now() % ms);
  if (ms > 0 && left < ms / 2) await sleep(left + 10);
}

const measure = (run: () => Promise<unknown>) => measureCommands(redis, run);

const overview = (token = TOKENS.all) =>
  callRoute<OverviewSummary>(overviewRoute.GET as Handler, "/api/overview", { headers: bearer(token) });

beforeAll(async () => {
  redis = own.raw();
  useAppPrefix("shared-app:");
  useConfig({
    auth: {
      tokens: [
        { name: "all", role: "operator", tokenHash: hashToken(TOKENS.all) },
        { name: "orders", role: "viewer", tokenHash: hashToken(TOKENS.orders), streams: ["orders_*"] },
        { name: "payments", role: "viewer", tokenHash: hashToken(TOKENS.payments), streams: ["payments_*"] },
      ],
      sessionSecret: TEST_SESSION_SECRET,
    },
    groups: [{ stream: "*", stuckAfterMs: STUCK_AFTER_MS }],
  });
  await closeRedis();
  for (let i = 0; i < 100; i++) {
    await seedPending(redis, `orders_${i}`, { n: 5 });
    await seedPending(redis, `payments_${i}`, { n: 5 });
  }
  await sleep(STUCK_AFTER_MS * 2);
});

afterAll(() => {
  if (saved.cache === undefined) delete process.env.READ_CACHE_MS;
  else process.env.READ_CACHE_MS = saved.cache;
  resetProcessState();
});

describe("shared reads", () => {
  it("two scopes asking the same URL get their own answers", async () => {
    await useCacheMs(10_000);
    const ask = (token: string) =>
      callRoute<StreamsListResponse>(streamsRoute.GET as Handler, "/api/streams", {
        headers: bearer(token),
        query: { count: 1000 },
      });
    const [orders, payments] = await Promise.all([ask(TOKENS.orders), ask(TOKENS.payments)]);
    const again = await ask(TOKENS.orders);
    expect(orders.status).toBe(200);
    expect(orders.body.streams.length).toBe(100);
    expect(orders.body.streams.every((s) => s.key.startsWith("orders_"))).toBe(true);
    expect(payments.body.streams.length).toBe(100);
    expect(payments.body.streams.every((s) => s.key.startsWith("payments_"))).toBe(true);
    expect(again.body).toEqual(orders.body);
    expect(typeof orders.body.asOf).toBe("number");
  });

  it("reuses an answer within READ_CACHE_MS; a change clears its stream's answers, one without a stream every one", async () => {
    await useCacheMs(10_000);
    const groupPage = (key: string) =>
      callRoute<{ pending: number }>(groupRoute.GET as Handler, `/api/streams/${key}/groups/g`, {
        params: { key, group: "g" },
        headers: bearer(TOKENS.all),
      });
    const first = await overview();
    expect(first.body.totalPending).toBe(1000);
    const [orders1, orders2] = [await groupPage("orders_1"), await groupPage("orders_2")];
    expect(orders1.body.pending).toBe(5);
    // A change the app did not make is not seen while the answers are kept...
    await redis.xack("orders_0", "g", ...(await redis.xrange("orders_0", "-", "+", "COUNT", 1)).map(([id]) => id));
    await redis.xack("orders_2", "g", ...(await redis.xrange("orders_2", "-", "+", "COUNT", 1)).map(([id]) => id));
    expect((await overview()).body).toEqual(first.body);
    expect((await groupPage("orders_2")).body).toEqual(orders2.body);
    // ...one through the app clears the kept answers about its stream, and only those.
    const [[id]] = (await redis.xrange("orders_1", "-", "+", "COUNT", 1)) as [[string, string[]]];
    const acked = await callRoute(ackRoute.POST as Handler, "/api/streams/orders_1/groups/g/ack", {
      params: { key: "orders_1", group: "g" },
      body: { ids: [id] },
      headers: bearer(TOKENS.all),
    });
    expect(acked.status).toBe(200);
    expect((await groupPage("orders_1")).body.pending).toBe(4);
    expect((await groupPage("orders_2")).body).toEqual(orders2.body);
    expect((await overview()).body).toEqual(first.body);
    // A change that names no stream (a history sample, which keeps no stuck snapshot) clears every kept answer.
    const sampled = await callRoute(historySampleRoute.POST as Handler, "/api/history/sample", {
      method: "POST",
      headers: bearer(TOKENS.all),
    });
    expect(sampled.status).toBe(200);
    const after = await overview();
    expect(after.body.totalPending).toBe(997);
    expect(after.body.asOf!).toBeGreaterThan(first.body.asOf!);
    expect((await groupPage("orders_2")).body.pending).toBe(4);
  });

  it("answers byte for byte as an unshared read, plus asOf", async () => {
    await useCacheMs(0);
    const plain = await overview();
    await useCacheMs(1000);
    const shared = await overview();
    expect(shared.body.discovering).toBeUndefined();
    // The oldest pending age moves with the clock; everything else is the same text.
    const { asOf: _a, oldestPendingMs: _c, ...a } = plain.body;
    const { asOf: _b, oldestPendingMs: _d, ...b } = shared.body;
    void [_a, _b, _c, _d];
    expect(shared.body.oldestPendingMs).toBeGreaterThan(0);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("10 concurrent overview requests on 200 streams cost Redis what one does", async () => {
    await redis.del(stuckSnapshotKey());
    await useCacheMs(0);
    await overview(); // settings and server checks, kept by the process
    const one = await measure(() => overview());
    // Ten dashboards each computing their own answer (sequential: with READ_CACHE_MS=0 concurrent calls still share).
    const tenUnshared = await measure(async () => {
      for (let i = 0; i < 10; i++) await overview();
    });
    await useCacheMs(1000);
    const tenShared = await measure(() => Promise.all(Array.from({ length: 10 }, () => overview())));
    await keepStuckSnapshot(redis, settingsFrom({ groups: [{ stream: "*", stuckAfterMs: STUCK_AFTER_MS }] }), {
      match: "*",
    });
    await useCacheMs(1000);
    const tenKept = await measure(() => Promise.all(Array.from({ length: 10 }, () => overview())));
    console.log(
      `overview on 200 streams, Redis commands (µs): 1 request ${one.calls} (${one.usec}); ` +
        `10 unshared ${tenUnshared.calls} (${tenUnshared.usec}); 10 shared ${tenShared.calls} (${tenShared.usec}); ` +
        `10 shared with the kept snapshot ${tenKept.calls} (${tenKept.usec}) ${JSON.stringify(tenKept.byCommand)}`,
    );
    expect(tenUnshared.calls).toBeGreaterThanOrEqual(9 * one.calls);
    expect(tenShared.calls).toBeLessThanOrEqual(one.calls + 5);
    expect(tenShared.calls).toBeGreaterThan(one.calls / 2);
    // The kept snapshot takes every pending-list read (one per pending group) off the request.
    expect(one.byCommand.xpending ?? 0).toBeGreaterThanOrEqual(150);
    expect(tenKept.calls).toBeLessThanOrEqual(one.calls - (one.byCommand.xpending ?? 0) + 5);
    expect(tenKept.byCommand.xpending ?? 0).toBe(0);

    // What else a dashboard polls: the stream list's page and a group page, ten at once.
    const list = () =>
      callRoute<StreamsListResponse>(streamsRoute.GET as Handler, "/api/streams", {
        headers: bearer(TOKENS.all),
        query: { count: 1000 },
      });
    const group = () =>
      callRoute(groupRoute.GET as Handler, "/api/streams/orders_5/groups/g", {
        params: { key: "orders_5", group: "g" },
        headers: bearer(TOKENS.all),
      });
    const tenLists = await measure(() => Promise.all(Array.from({ length: 10 }, list)));
    const tenGroups = await measure(() => Promise.all(Array.from({ length: 10 }, group)));
    console.log(
      `10 concurrent stream lists (200 streams, snapshot fresh): ${tenLists.calls} commands (${tenLists.usec} µs); ` +
        `10 concurrent group pages: ${tenGroups.calls} (${tenGroups.usec} µs)`,
    );
    expect(tenLists.byCommand.xpending ?? 0).toBe(0);
  });
});

describe("the kept stuck snapshot", () => {
  const settings = settingsFrom({ groups: [{ stream: "*", stuckAfterMs: STUCK_AFTER_MS }] });
  const opts = { match: "payments_*" };

  it("is used while fresh (stuckAsOf), and agrees with the live read when nothing changed", async () => {
    await keepStuckSnapshot(redis, settings, { match: "*" });
    const snapshot = await readStuckSnapshot(redis);
    expect(snapshot!.groups.length).toBe(200);
    const live = await summarizeOverview(redis, settings, opts);
    const kept = await summarizeOverview(redis, settings, { ...opts, kept: { maxAgeMs: 60_000 } });
    expect(live.stuckAsOf).toBeUndefined();
    expect(kept.stuckAsOf).toBe(snapshot!.at);
    expect(kept.stuck).toBe(live.stuck);
    expect(kept.stuck).toBe(500);
    expect(kept.oldestPendingMs! - live.oldestPendingMs!).toBeLessThan(1000);
  });

  it("the worker's stuck-snapshot job keeps it", async () => {
    await redis.del(stuckSnapshotKey());
    const result = await stuckSnapshotJob.run({
      redis,
      settings,
      now: Date.now(),
      forced: false,
      heartbeat: async () => {},
    });
    expect(result.counts).toMatchObject({ streams: 200, groups: 200 });
    const kept = await summarizeOverview(redis, settings, { ...opts, kept: {} });
    expect(kept.stuckAsOf).toBe((await readStuckSnapshot(redis))!.at);
    expect(kept.stuck).toBe(500);
  });

  it("a scoped caller's overview counts only its streams from the snapshot", async () => {
    await keepStuckSnapshot(redis, settings, { match: "*" });
    await useCacheMs(1000);
    const [all, payments] = await Promise.all([overview(TOKENS.all), overview(TOKENS.payments)]);
    expect(payments.body.stuckAsOf).toBeDefined();
    expect(payments.body.streams).toBe(100);
    expect(payments.body.stuck).toBe(500);
    expect(all.body.streams).toBe(200);
    expect(all.body.stuck).toBeGreaterThan(payments.body.stuck);
  });

  it("the stream list takes its stuck counts from it too, without reading any pending list", async () => {
    await keepStuckSnapshot(redis, settings, { match: "*" });
    const page = { ...opts, cursor: "0", count: 1000 };
    const live = await listStreams(redis, settings, page);
    let kept: StreamsListResponse | undefined;
    const stats = await measure(async () => {
      kept = await listStreams(redis, settings, { ...page, kept: { maxAgeMs: 60_000 } });
    });
    expect(stats.byCommand.xpending ?? 0).toBe(0);
    expect(live.stuckAsOf).toBeUndefined();
    expect(typeof kept!.stuckAsOf).toBe("number");
    const stuckOf = (r: StreamsListResponse) => r.streams.map((s) => [s.key, s.stuck, s.stuckCapped]).sort();
    expect(stuckOf(kept!)).toEqual(stuckOf(live));
    expect(kept!.streams.reduce((n, s) => n + s.stuck, 0)).toBe(500);
  });

  it("keeps its counts until refreshed; stale or missing, the overview reads live", async () => {
    await keepStuckSnapshot(redis, settings, { match: "*" });
    await seedPending(redis, "payments_new", { n: 3 });
    await seedPending(redis, "payments_0", { n: 2, group: "g" });
    await sleep(STUCK_AFTER_MS * 2);
    const kept = await summarizeOverview(redis, settings, { ...opts, kept: { maxAgeMs: 60_000 } });
    // payments_0's group is in the snapshot (its old count); payments_new's is not (read live).
    expect(kept.stuck).toBe(503);
    expect(kept.totalPending).toBe(505);
    const live = await summarizeOverview(redis, settings, opts);
    expect(live.stuck).toBe(505);
    const stale = await summarizeOverview(redis, settings, { ...opts, kept: { maxAgeMs: 0 } });
    expect(stale.stuck).toBe(505);
    expect(stale.stuckAsOf).toBeUndefined();

    const snapshot = (await readStuckSnapshot(redis))!;
    await storeStuckSnapshot(redis, { ...snapshot, at: snapshot.at - 10 * 60_000 });
    const old = await summarizeOverview(redis, settings, { ...opts, kept: {} });
    expect(old.stuck).toBe(505);
    expect(old.stuckAsOf).toBeUndefined();
    await redis.del(stuckSnapshotKey());
    expect((await summarizeOverview(redis, settings, { ...opts, kept: {} })).stuck).toBe(505);
  });
});
