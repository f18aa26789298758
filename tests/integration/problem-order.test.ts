/**
 * "Problems first" across the whole stream index (`GET /api/streams?offset=&order=problems`):
 * the worker's stuck snapshot (made by its real job) reorders every page, not one block of rows;
 * offsets page through the reordered list; without a fresh snapshot the answer is key order and
 * says why; a scoped caller sees only its streams in either order.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { resetProcessState } from "@/lib/runtime/state";
import { readStuckSnapshot, storeStuckSnapshot, stuckSnapshotKey } from "@/lib/streams/stuck-snapshot";
import { keepStuckSnapshot } from "@/lib/streams/summary";
import { stuckSnapshotJob } from "@/lib/worker/jobs";
import { callRoute } from "../helpers/route";
import { seedPending } from "../helpers/pending";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { untilAppIndexWhole } from "../helpers/stream-index";
import { tokenCallers, type ErrorRes } from "../helpers/token-caller";
import { settingsFrom, sleep } from "../helpers/worker";

type Handler = Parameters<typeof callRoute>[0];

const STUCK_AFTER_MS = 100;
const redis = testRedis();
const prefix = uniquePrefix("problems");
const key = (i: number) => `${prefix}s${String(i).padStart(2, "0")}`;
const STREAMS = 60;
const PAGE = 17;
const groups = [
  // s30's messages are pending but not stuck (an hour's threshold); every other group's after 100 ms.
  { stream: key(30), stuckAfterMs: 3_600_000 },
  { stream: `${prefix}*`, stuckAfterMs: STUCK_AFTER_MS },
];
const { headers } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  tokens: {
    all: { token: "tok-problems-all-0123456789abcdef012345", role: "viewer" },
    scoped: { token: "tok-problems-s0x-0123456789abcdef012345", role: "viewer", streams: [`${prefix}s0*`] },
  },
  config: { groups },
});

async function page(
  query: Record<string, string | number>,
  who: "all" | "scoped" = "all",
): Promise<StreamsListResponse> {
  const res = await callRoute<StreamsListResponse>(listRoute as Handler, "/api/streams", {
    query: { match: `${prefix}*`, offset: 0, count: PAGE, ...query },
    headers: headers(who),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every page from offset 0 on, in order. */
async function allPages(query: Record<string, string | number>, who: "all" | "scoped" = "all") {
  const pages: StreamsListResponse[] = [];
  const count = Number(query.count ?? PAGE);
  for (let offset = 0; ; offset += count) {
    const body = await page({ ...query, offset }, who);
    pages.push(body);
    if (offset + count >= body.index!.total) return pages;
  }
}

const keysOf = (pages: StreamsListResponse[]) => pages.flatMap((p) => p.streams.map((r) => r.key));

/** The worker's stuck-snapshot job, run once as a tick would run it. */
async function takeSnapshot() {
  await stuckSnapshotJob.run({
    redis,
    settings: settingsFrom({ groups }),
    now: Date.now(),
    forced: true,
    heartbeat: async () => {},
    keyMatch: `${prefix}*`,
  });
}

beforeAll(async () => {
  const pipe = redis.pipeline();
  for (let i = 0; i < STREAMS; i++) pipe.xadd(key(i), "*", "n", String(i));
  await pipe.exec();
  // The worst stream sorts last by key: 5 stuck messages in one group, 2 in another.
  await seedPending(redis, key(59), { n: 5, group: "g1" });
  await seedPending(redis, key(59), { n: 2, group: "g2" });
  // Next worst: 3 stuck (s05, inside the scoped caller's streams), then 1 stuck (s12).
  await seedPending(redis, key(5), { n: 3 });
  await seedPending(redis, key(12), { n: 1 });
  // Pending, not stuck: s30; and s41 with a group that has nothing pending (not a problem).
  await seedPending(redis, key(30), { n: 2 });
  await seedPending(redis, key(41), { n: 2, deliver: 0 });
  await sleep(STUCK_AFTER_MS * 3);
  resetProcessState();
  await untilAppIndexWhole();
});

describe("order=problems", () => {
  it("brings the stuck stream that sorts last by key to row 1 of page 1; every key once across the pages, total unchanged", async () => {
    await takeSnapshot();
    const byKey = await allPages({});
    const problems = await allPages({ order: "problems" });
    expect(byKey[0]!.index!.order).toBe("key");
    expect(keysOf(byKey)).toEqual(Array.from({ length: STREAMS }, (_, i) => key(i)));
    expect(keysOf(byKey).at(-1)).toBe(key(59));

    const first = problems[0]!;
    expect(first.index).toMatchObject({ order: "problems", total: STREAMS, offset: 0, count: PAGE });
    expect(first.index!.orderFallback).toBeUndefined();
    expect(first.stuckAsOf).toBe((await readStuckSnapshot(redis))!.at);
    expect(first.streams[0]).toMatchObject({ key: key(59), stuck: 7, pending: 7 });
    const keys = keysOf(problems);
    expect(keys.slice(0, 4)).toEqual([key(59), key(5), key(12), key(30)]);
    expect(keys.slice(4)).toEqual(keysOf(byKey).filter((k) => ![59, 5, 12, 30].some((i) => key(i) === k)));
    expect(keys).toHaveLength(STREAMS);
    expect(new Set(keys).size).toBe(STREAMS);
    expect(problems.every((p) => p.index!.total === STREAMS && p.index!.order === "problems")).toBe(true);
    expect(problems).toHaveLength(Math.ceil(STREAMS / PAGE));
  });

  it("without a kept snapshot (worker off) answers key order and says why", async () => {
    await redis.del(stuckSnapshotKey());
    const body = await page({ order: "problems" });
    expect(body.index).toMatchObject({ order: "key", orderFallback: "missing", total: STREAMS });
    expect(body.stuckAsOf).toBeUndefined();
    expect(body.streams.map((r) => r.key)).toEqual(Array.from({ length: PAGE }, (_, i) => key(i)));
    // Key order asked for: nothing to explain.
    expect((await page({})).index!.orderFallback).toBeUndefined();
  });

  it("with a snapshot too old to use (worker behind or stopped) answers key order and says so", async () => {
    await takeSnapshot();
    const kept = (await readStuckSnapshot(redis))!;
    await storeStuckSnapshot(redis, { ...kept, at: kept.at - 10 * 60_000 });
    const body = await page({ order: "problems" });
    expect(body.index).toMatchObject({ order: "key", orderFallback: "stale" });
    expect(body.streams[0]!.key).toBe(key(0));
  });

  it("says when the snapshot holds only part of the groups, and how much it left out", async () => {
    // Pending groups: s59 (two), s05, s12, s30. Kept: two of them, in the walk's order.
    await keepStuckSnapshot(redis, settingsFrom({ groups }), { match: `${prefix}*`, groupsCap: 2 });
    const kept = (await readStuckSnapshot(redis))!;
    expect(kept.groups).toHaveLength(2);
    expect(kept.partial).toEqual({ groupsLeftOut: 3, streamsLeftOut: false });
    const body = await page({ order: "problems" });
    expect(body.index).toMatchObject({ order: "problems", orderPartial: { groupsLeftOut: 3, streamsLeftOut: false } });
    const keptStreams = new Set(kept.groups.map((g) => g.stream));
    expect(new Set(body.streams.slice(0, keptStreams.size).map((r) => r.key))).toEqual(keptStreams);

    // A walk capped at 10 of the 60 streams.
    await keepStuckSnapshot(redis, settingsFrom({ groups }), { match: `${prefix}*`, streamCap: 10 });
    expect((await page({ order: "problems" })).index!.orderPartial).toMatchObject({ streamsLeftOut: true });

    // The whole walk: nothing left out, nothing said; key order says nothing of it either.
    await takeSnapshot();
    expect((await readStuckSnapshot(redis))!.partial).toBeUndefined();
    expect((await page({ order: "problems" })).index!.orderPartial).toBeUndefined();
    await keepStuckSnapshot(redis, settingsFrom({ groups }), { match: `${prefix}*`, groupsCap: 2 });
    expect((await page({})).index!.orderPartial).toBeUndefined();
  });

  it("refuses an unknown order with a JSON 400", async () => {
    const res = await callRoute<ErrorRes>(listRoute as Handler, "/api/streams", {
      query: { offset: 0, order: "bogus" },
      headers: headers("all"),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.body.error.code).toBe("BAD_REQUEST");
    expect(res.body.error.message).toMatch(/order/);
  });

  it("a scoped caller never sees streams outside its scope, in either order", async () => {
    await takeSnapshot();
    const mine = Array.from({ length: 10 }, (_, i) => key(i));
    for (const order of ["key", "problems"]) {
      const pages = await allPages({ order, count: 4 }, "scoped");
      const keys = keysOf(pages);
      expect(pages[0]!.index).toMatchObject({ order, total: 10 });
      expect([...keys].sort()).toEqual(mine);
      if (order === "problems") expect(keys[0]).toBe(key(5));
      else expect(keys).toEqual(mine);
    }
  });
});
