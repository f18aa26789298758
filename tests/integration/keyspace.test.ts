import { afterAll, describe, expect, it } from "vitest";
import { resumeSlice, scanAllKeys, scanSlice } from "@/lib/redis/keyspace";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("keyspace");
afterAll(() => cleanPrefix(redis, prefix));

describe("the resumable key-space slice", () => {
  it("covers every stream once over resumed slices, then forgets its cursor", async () => {
    const streams = Array.from({ length: 60 }, (_, i) => `${prefix}s:${i}`);
    const pipe = redis.pipeline();
    for (const key of streams) pipe.xadd(key, "*", "a", "1");
    for (let i = 0; i < 20; i++) pipe.set(`${prefix}str:${i}`, "x");
    await pipe.exec();

    const cursorKey = `${prefix}cursor`;
    const seen: string[] = [];
    for (let slices = 0; slices < 100; slices++) {
      const slice = await resumeSlice(redis, cursorKey, {
        match: `${prefix}*`,
        type: "stream",
        maxKeys: 7,
        count: 10,
        maxPages: 3,
      });
      expect(slice.scanCalls).toBeLessThanOrEqual(3);
      seen.push(...slice.keys);
      await slice.save();
      if (slice.wrapped) break;
    }
    expect([...seen].sort()).toEqual([...streams].sort());
    expect(await redis.exists(cursorKey)).toBe(0);
  });

  it("leaves out skipped keys and stops at its page budget", async () => {
    const slice = await scanSlice(redis, {
      cursor: "0",
      match: `${prefix}s:*`,
      type: "stream",
      maxKeys: 1000,
      count: 1,
      maxPages: 2,
      skip: (k) => k.endsWith(":0"),
    });
    expect(slice.scanCalls).toBe(2);
    expect(slice.keys).not.toContain(`${prefix}s:0`);
    const all = await scanAllKeys(redis, { match: `${prefix}s:*`, type: "stream", maxKeys: 10 });
    expect(all).toMatchObject({ complete: false });
    expect(all.keys).toHaveLength(10);
  });
});
