import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as streamHistoryRoute } from "@/app/api/streams/[key]/history/route";
import { GET as groupHistoryRoute } from "@/app/api/streams/[key]/groups/[group]/history/route";
import { GET as profileRoute } from "@/app/api/streams/[key]/groups/[group]/pending-profile/route";
import { GET as ratesRoute } from "@/app/api/history/rates/route";
import type { HistoryResponse, PendingProfileResponse, RatesResponse } from "@/lib/contract/history";
import { historyJob } from "@/lib/worker/jobs/history";
import { sampleHistory } from "@/lib/history/sampler";
import { historyKeys, readSamples } from "@/lib/history/store";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();

beforeAll(() => {
  useOwnAppPrefix("history");
});
afterAll(async () => {
  await closeRedis();
});

describe("history sampling", () => {
  it("samples each stream and group and keeps storage bounded by the retention", async () => {
    const p = uniquePrefix("hist");
    const key = `${p}orders`;
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    const settings = makeSettings({ history: { sampleEveryMs: 10_000, retentionMs: 600_000 } });
    const t0 = Date.now();
    // 40 minutes of samples every 10 s against a 10-minute retention.
    for (let i = 0; i < 240; i++) {
      await redis.xadd(key, "*", "n", String(i));
      if (i % 2 === 0) await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
      const r = await sampleHistory(redis, settings, { now: t0 + i * 10_000, match: `${p}*` });
      expect(r.skipped).toBe(false);
    }
    const groupLen = await redis.xlen(historyKeys.group(key, "g"));
    const streamLen = await redis.xlen(historyKeys.stream(key));
    expect(groupLen).toBe(61); // 600 s / 10 s, plus the sample at the edge
    expect(streamLen).toBe(61);
    expect(await redis.pttl(historyKeys.group(key, "g"))).toBeGreaterThan(500_000);

    const samples = await readSamples(redis, historyKeys.group(key, "g"), 0, t0 + 1e9);
    expect(samples[0]!.t).toBe(t0 + 179 * 10_000);
    const last = samples[samples.length - 1]!;
    expect(last).toMatchObject({
      t: t0 + 239 * 10_000,
      length: 240,
      entriesAdded: 240,
      pending: 120,
      lag: 120,
      entriesRead: 120,
    });
    expect(last.oldestPendingMs).not.toBeNull();
  });

  it("skips a tick that comes before sampleEveryMs unless forced", async () => {
    const p = uniquePrefix("skip");
    await redis.xadd(`${p}s`, "*", "a", "1");
    const settings = makeSettings();
    const now = Date.now();
    expect((await sampleHistory(redis, settings, { now, match: `${p}*` })).skipped).toBe(false);
    expect((await sampleHistory(redis, settings, { now: now + 1000, match: `${p}*` })).skipped).toBe(true);
    expect((await sampleHistory(redis, settings, { now: now + 1000, match: `${p}*`, forced: true })).skipped).toBe(
      false,
    );
    expect((await sampleHistory(redis, settings, { now: now + 10_000, match: `${p}*` })).skipped).toBe(false);
  });

  it("historyJob runs as a worker job", async () => {
    const r = await historyJob.run({
      redis,
      settings: makeSettings(),
      now: Date.now(),
      forced: true,
      heartbeat: async () => undefined,
    });
    expect(r.counts.samples).toBeGreaterThanOrEqual(0);
  });
});

describe("history routes", () => {
  it("serve chart series, rates and the pending profile", async () => {
    const p = uniquePrefix("routes");
    const key = `${p}a/b c`;
    await redis.xgroup("CREATE", key, "g 1", "0", "MKSTREAM");
    const settings = makeSettings();
    const now = Date.now();
    const start = now - 30 * 60_000;
    // 30 min of a steady flow: 10 in per 10 s, 10 read and acked, 3 left pending.
    for (let i = 0; i <= 180; i++) {
      const t = start + i * 10_000;
      const fields = ["l", String(i * 10), "a", String(i * 10), "p", "3", "g", "0", "r", String(i * 10), "o", "2000"];
      await redis.xadd(historyKeys.group(key, "g 1"), `${t}-*`, ...fields);
      await redis.xadd(historyKeys.stream(key), `${t}-*`, ...fields);
    }
    void settings;

    const group = await callRoute<HistoryResponse>(groupHistoryRoute as never, "/x", {
      params: { key, group: "g 1" },
      query: { range: "15m" },
    });
    expect(group.status).toBe(200);
    expect(group.body.points.length).toBeGreaterThanOrEqual(89);
    expect(group.body.points.length).toBeLessThanOrEqual(92);
    const pt = group.body.points[5]!;
    expect(pt.inRate).toBeCloseTo(1, 5);
    expect(pt.ackRate).toBeCloseTo(1, 5);
    expect(pt.pending).toBe(3);
    expect(pt.oldestPendingMs).toBe(2000);

    const day = await callRoute<HistoryResponse>(streamHistoryRoute as never, "/x", {
      params: { key },
      query: { range: "24h" },
    });
    expect(day.body.points.length).toBe(181);
    const bad = await callRoute(streamHistoryRoute as never, "/x", { params: { key }, query: { range: "2d" } });
    expect(bad.status).toBe(400);

    const rates = await callRoute<RatesResponse>(
      ratesRoute as never,
      `/api/history/rates?key=${encodeURIComponent(key)}&key=nothing-here`,
    );
    expect(rates.status).toBe(200);
    expect(rates.body.rates[key]!.inRate).toBeCloseTo(1, 5);
    expect(rates.body.rates[key]!.points.length).toBeGreaterThan(10);
    expect(rates.body.rates["nothing-here"]).toEqual({ inRate: null, ackRate: null, points: [] });
    const none = await callRoute(ratesRoute as never, "/api/history/rates");
    expect(none.status).toBe(400);
    const tooMany = await callRoute(
      ratesRoute as never,
      `/api/history/rates?${Array.from({ length: 201 }, (_, i) => `key=k${i}`).join("&")}`,
    );
    expect(tooMany.status).toBe(400);

    const profile = await callRoute<PendingProfileResponse>(profileRoute as never, "/x", {
      params: { key, group: "g 1" },
    });
    expect(profile.body).toMatchObject({
      typicalPendingMs: 2000,
      p95PendingMs: 2000,
      suggestedStuckAfterMs: 5000,
      currentStuckAfterMs: 30_000,
    });
    expect(profile.body.basedOnSamples).toBe(181);
  });
});

describe("pending profile with a crashed consumer", () => {
  it("is based on acked messages only and never suggests a threshold that hides the stuck one", async () => {
    const p = uniquePrefix("crash");
    const key = `${p}orders`;
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    const settings = makeSettings();
    const now = Date.now();
    const start = now - 20 * 60_000;
    let stuckId = "";
    // 60 samples 10 s apart: each sample sees one healthy message 1.5 s old, acked right after.
    // From sample 40 on, a message read by a consumer that then crashed stays pending.
    for (let i = 0; i < 60; i++) {
      const t = start + i * 10_000;
      if (i === 40) {
        stuckId = (await redis.xadd(key, `${t - 1000}-0`, "n", "stuck")) as string;
        await redis.xreadgroup("GROUP", "g", "crashed", "COUNT", 1, "STREAMS", key, ">");
      }
      const id = (await redis.xadd(key, `${t - 1000}-1`, "n", String(i))) as string;
      await redis.xreadgroup("GROUP", "g", "healthy", "COUNT", 1, "STREAMS", key, ">");
      await sampleHistory(redis, settings, { now: t, match: `${p}*`, forced: true });
      await redis.xack(key, "g", id);
    }
    // The crashed consumer has not touched it since it read it, 3 min 20 s ago.
    await redis.call("XCLAIM", key, "g", "crashed", "0", stuckId, "IDLE", "200000", "JUSTID");

    const res = await callRoute<PendingProfileResponse>(profileRoute as never, "/x", { params: { key, group: "g" } });
    expect(res.status).toBe(200);
    const profile = res.body;
    expect(profile.stuckNow).toMatchObject({ count: 1, capped: false });
    expect(profile.stuckNow.maxIdleMs).toBeGreaterThanOrEqual(200_000);
    expect(profile.basedOnSamples).toBe(60);
    expect(profile.windowFrom).toBe(start);
    expect(profile.windowTo).toBe(start + 59 * 10_000);
    // 40 healthy messages left the PEL while they were the oldest; the stuck one never did.
    expect(profile.ackedObservations).toBe(40);
    expect(profile.typicalPendingMs).toBe(1000);
    expect(profile.p95PendingMs).toBe(1000);
    expect(profile.suggestedStuckAfterMs).toBe(5000);
    expect(profile.suggestedStuckAfterMs!).toBeLessThan(profile.stuckNow.maxIdleMs);

    const missing = await callRoute(profileRoute as never, "/x", { params: { key, group: "nope" } });
    expect(missing.status).toBe(404);
  });
});
