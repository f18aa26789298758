import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { uniquePrefix } from "../helpers/redis";
import { recordSentCommands } from "../helpers/sent-commands";

/**
 * Commands one alert evaluation sends for 200 streams with 2 groups each (one group with
 * pending messages, one stuck): counted on the client, so other test files cannot skew it.
 */
const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
const sent = recordSentCommands(redis);

beforeAll(() => {
  useOwnAppPrefix("alerts-cost");
});
afterAll(async () => {
  await redis.quit();
});

describe("alert evaluation cost", () => {
  it("is a fixed number of round trips plus a few commands per stream and group", async () => {
    const p = uniquePrefix("cost");
    const streams = 200;
    const seed = redis.pipeline();
    for (let i = 0; i < streams; i++) {
      const key = `${p}s${i}`;
      seed.xgroup("CREATE", key, "busy", "0", "MKSTREAM");
      seed.xgroup("CREATE", key, "idle", "$");
      for (let j = 0; j < 5; j++) seed.xadd(key, "*", "n", String(j));
      seed.xreadgroup("GROUP", "busy", "c", "COUNT", 3, "STREAMS", key, ">");
    }
    await seed.exec();
    const stuckKey = `${p}s0`;
    const [[id]] = (await redis.xrange(stuckKey, "-", "+", "COUNT", 1)) as [[string, string[]]];
    await redis.xclaim(stuckKey, "busy", "c", 0, id, "IDLE", 600_000);

    const settings = makeSettings({ alerts: { maxStreamsPerRun: 1000 } });
    sent.clear();
    const started = performance.now();
    const r = await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*` });
    const ms = performance.now() - started;
    console.log(
      `alerts evaluation: ${r.streams} streams, ${streams * 2} groups, ${sent.all.length} commands, ${ms.toFixed(0)} ms, ${r.fired.length} fired`,
    );
    expect(r.streams).toBe(streams);
    expect(r.fired.map((t) => t.alert.rule)).toEqual(["long-pending"]);
    // Per stream: XINFO STREAM, XINFO GROUPS, PTTL, MEMORY USAGE (it sizes the XINFO STREAM rounds);
    // per group: XPENDING - + 1, XINFO CONSUMERS; per group with pending: one plain XPENDING range
    // for the stuck count; plus SCAN and the store.
    expect(sent.all.length).toBeLessThanOrEqual(streams * 4 + streams * 2 * 2 + streams + 30);
  });
});
