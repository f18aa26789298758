import { beforeAll, describe, expect, it } from "vitest";
import { historyKeys, queueSample } from "@/lib/history/store";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { testRedis } from "../helpers/redis";

const redis = testRedis();

beforeAll(() => {
  useOwnAppPrefix("history-cost");
});

/**
 * The storage cost of one group's history for a day at the default cadence (8640 samples at
 * 10 s), with realistic numbers. Prints the measurement; asserts the bound the docs promise.
 */
describe("history cost", () => {
  it("one group-day of samples stays under 400 KiB and the key never outgrows the retention", async () => {
    const { history } = makeSettings({ history: {} });
    const every = history?.sampleEveryMs ?? 10_000;
    const retention = history?.retentionMs ?? 86400_000;
    const key = historyKeys.group("orders_2026112500", "consumer_group");
    const t0 = Date.now() - 2 * retention;
    const perDay = retention / every;
    let commands = 0;
    // Two days of samples against a one-day retention, in pipelines of 1000.
    for (let i = 0; i < 2 * perDay; i += 1000) {
      const pipe = redis.pipeline();
      for (let j = i; j < Math.min(i + 1000, 2 * perDay); j++) {
        queueSample(
          pipe,
          key,
          {
            t: t0 + j * every,
            length: 1_000_000 + j * 50,
            entriesAdded: 5_000_000 + j * 50,
            pending: 20 + (j % 37),
            lag: j % 11,
            entriesRead: 4_999_000 + j * 50,
            oldestPendingMs: 1500 + (j % 200) * 10,
          },
          retention,
        );
      }
      commands += pipe.length;
      await pipe.exec();
    }
    const len = await redis.xlen(key);
    const bytes = Number(await redis.call("MEMORY", "USAGE", key, "SAMPLES", "0"));
    console.log(
      `history cost: ${len} samples kept for ${retention / 3600_000} h, ${bytes} bytes (${(bytes / len).toFixed(1)} B/sample), ${commands / (2 * perDay)} commands per sample, ${perDay * 2} commands per series per day`,
    );
    expect(len).toBe(perDay + 1);
    expect(bytes).toBeLessThan(400 * 1024);
  });
});
