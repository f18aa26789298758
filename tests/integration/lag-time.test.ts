import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as groupGET } from "@/app/api/streams/[key]/groups/[group]/route";
import { GET as streamGET } from "@/app/api/streams/[key]/route";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { listAlerts } from "@/lib/alerts/store";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import type { StreamDetail } from "@/lib/contract/streams";
import { historyKeys, writeSamples } from "@/lib/history/store";
import type { Sample } from "@/lib/history/series";
import { collectMetrics } from "@/lib/metrics/collect";
import { closeRedis } from "@/lib/redis/client";
import { snapshotStreams } from "@/lib/streams/snapshot";
import { findSample, parsePromText } from "../helpers/prom-text";
import { indexedStreams } from "../helpers/stream-index";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";

const redis = testRedis();
const prefix = uniquePrefix("lagtime");
type Handler = Parameters<typeof callRoute>[0];

beforeAll(() => {
  useOwnAppPrefix("lag-time");
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
const newPrefix = () => `${prefix}${++n}:`;

async function detail(stream: string, group: string) {
  const res = await callRoute<GroupDetailResponse>(groupGET as Handler, "/x", { params: { key: stream, group } });
  expect(res.status).toBe(200);
  return res.body;
}

async function row(stream: string) {
  const res = await callRoute<StreamDetail>(streamGET as Handler, "/x", { params: { key: stream } });
  expect(res.status).toBe(200);
  return res.body;
}

/** Entries with ids at the given times (ms), oldest first. */
async function seedAt(stream: string, times: number[]) {
  for (const [i, t] of times.entries()) await redis.xadd(stream, `${t}-0`, "n", String(i));
}

/** History samples of a group's lag, `everyMs` apart and ending at `end`. */
async function writeLagHistory(stream: string, group: string, lags: number[], end: number, everyMs = 10_000) {
  const rows = lags.map((lag, i) => {
    const sample: Sample = {
      t: end - (lags.length - 1 - i) * everyMs,
      length: null,
      entriesAdded: null,
      pending: 0,
      lag,
      entriesRead: null,
      oldestPendingMs: null,
    };
    return { key: historyKeys.group(stream, group), sample };
  });
  const { failed } = await writeSamples(redis, rows, 86400_000);
  expect(failed).toBe(0);
}

/** A group `g` with `lag` entries not yet delivered to it, written now. */
async function groupWithLag(stream: string, lag: number) {
  await redis.xgroup("CREATE", stream, "g", "$", "MKSTREAM");
  for (let i = 0; i < lag; i++) await redis.xadd(stream, "*", "n", String(i));
}

describe("lag in time", () => {
  it("is 0 on an empty stream: nothing to deliver, nothing pending, no drain", async () => {
    const s = `${newPrefix()}empty`;
    await redis.xgroup("CREATE", s, "g", "$", "MKSTREAM");
    expect(await detail(s, "g")).toMatchObject({ lagMs: 0, oldestPendingMs: null, drain: null });
    expect((await row(s)).lagMs).toBe(0);
    const [snap] = await snapshotStreams(redis, [s], { groupRules: [], now: Date.now(), lagAge: true });
    expect(snap!.groups[0]!.lagMs).toBe(0);
  });

  it("is 0 for a group created at $ on a stream of old entries", async () => {
    const s = `${newPrefix()}at-end`;
    const now = Date.now();
    await seedAt(s, [now - 120_000, now - 60_000]);
    await redis.xgroup("CREATE", s, "g", "$");
    expect(await detail(s, "g")).toMatchObject({ lagMs: 0, oldestPendingMs: null });
    expect((await row(s)).lagMs).toBe(0);
  });

  it("is the age of the entry right after last-delivered-id; oldest pending from its id; the row takes the worst group", async () => {
    const s = `${newPrefix()}behind`;
    const now = Date.now();
    await seedAt(s, [now - 120_000, now - 60_000, now - 1000]);
    await redis.xgroup("CREATE", s, "g", "0");
    await redis.xgroup("CREATE", s, "h", "0");
    await redis.xreadgroup("GROUP", "g", "c1", "COUNT", 1, "STREAMS", s, ">");

    const before = Date.now();
    const g = await detail(s, "g");
    const after = Date.now();
    expect(g.lagMs).toBeGreaterThanOrEqual(60_000 + (before - now));
    expect(g.lagMs).toBeLessThanOrEqual(60_000 + (after - now));
    expect(g.oldestPendingMs).toBeGreaterThanOrEqual(120_000 + (before - now));
    expect(g.oldestPendingMs).toBeLessThanOrEqual(120_000 + (after - now));
    expect((await detail(s, "h")).oldestPendingMs).toBeNull();

    const r = await row(s);
    expect(r.lagMs).toBeGreaterThanOrEqual(120_000);
    expect(r.lagMs).toBeLessThan(125_000);

    // Every entry delivered (the last one still pending): nothing is waiting any more.
    await redis.xreadgroup("GROUP", "g", "c1", "COUNT", 10, "STREAMS", s, ">");
    expect((await detail(s, "g")).lagMs).toBe(0);
  });
});

describe("drain from history", () => {
  it("a falling lag drains: rate and time to 0 from the lag right now", async () => {
    const s = `${newPrefix()}falling`;
    await groupWithLag(s, 10);
    await writeLagHistory(s, "g", [50, 40, 30, 20, 10], Date.now());
    const { drain, lag } = await detail(s, "g");
    expect(lag).toBe(10);
    expect(drain!.ratePerSec).toBeCloseTo(1, 6);
    expect(drain!.etaMs).toBe(10_000);
  });

  it("a rising lag falls behind: a negative rate and no time to drain", async () => {
    const s = `${newPrefix()}rising`;
    await groupWithLag(s, 10);
    await writeLagHistory(s, "g", [0, 20, 40], Date.now());
    const { drain } = await detail(s, "g");
    expect(drain!.ratePerSec).toBeCloseTo(-2, 6);
    expect(drain!.etaMs).toBeNull();
  });

  it("a flat lag, or a single sample, has no drain", async () => {
    const s = `${newPrefix()}flat`;
    await groupWithLag(s, 10);
    await writeLagHistory(s, "g", [10, 10, 10], Date.now());
    expect((await detail(s, "g")).drain).toBeNull();
    const one = `${newPrefix()}one`;
    await groupWithLag(one, 10);
    await writeLagHistory(one, "g", [30], Date.now());
    expect((await detail(one, "g")).drain).toBeNull();
  });
});

describe("metrics and the lagSecondsOver alert", () => {
  it("exports the lag in seconds and the drain time (+Inf when falling behind, absent when flat)", async () => {
    const p = newPrefix();
    const now = Date.now();
    const behind = `${p}behind`;
    await seedAt(behind, [now - 90_000, now - 30_000]);
    await redis.xgroup("CREATE", behind, "g", "0");
    await redis.xgroup("CREATE", behind, "done", "$");
    const falling = `${p}falling`;
    await groupWithLag(falling, 10);
    await writeLagHistory(falling, "g", [50, 40, 30, 20, 10], now);
    const rising = `${p}rising`;
    await groupWithLag(rising, 10);
    await writeLagHistory(rising, "g", [0, 20, 40], now);

    const { body } = await collectMetrics(redis, makeSettings(), {
      now: Date.now(),
      known: await indexedStreams(redis, `${p}*`),
    });
    const { samples, types } = parsePromText(body);
    expect(types.get("streamscope_group_lag_seconds")).toBe("gauge");
    const lagOf = (stream: string, group: string) =>
      findSample(samples, "streamscope_group_lag_seconds", { stream, group })?.value;
    expect(lagOf(behind, "g")).toBeGreaterThanOrEqual(90);
    expect(lagOf(behind, "g")).toBeLessThan(95);
    expect(lagOf(behind, "done")).toBe(0);
    const drainOf = (stream: string, group: string) =>
      findSample(samples, "streamscope_group_drain_seconds", { stream, group })?.value;
    expect(drainOf(falling, "g")).toBe(10);
    expect(drainOf(rising, "g")).toBe(Infinity);
    expect(drainOf(behind, "g")).toBeUndefined();
    expect(drainOf(behind, "done")).toBeUndefined();
  });

  it("lagSecondsOver fires for a group whose oldest undelivered entry is older, and resolves once it is delivered", async () => {
    const p = newPrefix();
    const s = `${p}s`;
    const now = Date.now();
    await seedAt(s, [now - 120_000, now - 5_000]);
    await redis.xgroup("CREATE", s, "slow", "0");
    await redis.xgroup("CREATE", s, "fresh", "0");
    await redis.xreadgroup("GROUP", "fresh", "c", "COUNT", 1, "STREAMS", s, ">");
    const settings = makeSettings({ alerts: { rules: [{ stream: `${p}*`, lagSecondsOver: 60 }] } });

    await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*` });
    let alerts = (await listAlerts(redis, Date.now())).filter((a) => a.stream === s && a.rule === "lag-seconds-over");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: "firing", group: "slow", severity: "warning" });
    expect(alerts[0]!.message).toContain('Group "slow"');
    expect(alerts[0]!.link).toBe(`/streams/${encodeURIComponent(s)}/groups/slow`);

    await redis.xreadgroup("GROUP", "slow", "c", "COUNT", 1, "STREAMS", s, ">");
    await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*` });
    alerts = (await listAlerts(redis, Date.now())).filter((a) => a.stream === s && a.rule === "lag-seconds-over");
    expect(alerts.map((a) => [a.group, a.state])).toEqual([["slow", "resolved"]]);
  });
});
