import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSettings, invalidateSettingsCache } from "@/lib/config/settings";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis, getRedis } from "@/lib/redis/client";
import { summarizeOverview } from "@/lib/streams/summary";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("rules");
const dir = mkdtempSync(join(tmpdir(), "overview-rules-"));
const saved = { config: process.env.STREAMSCOPE_CONFIG, appPrefix: process.env.STREAMSCOPE_PREFIX };

beforeAll(() => {
  const file = join(dir, "streamscope.config.json");
  writeFileSync(
    file,
    JSON.stringify({
      families: [{ name: "orders", pattern: `${prefix}orders_<yyyyMMddHH>` }],
      groups: [{ stream: `${prefix}*`, group: "patient", stuckAfterMs: 600_000 }],
    }),
  );
  process.env.STREAMSCOPE_CONFIG = file;
  // An app prefix of this file's own, so settings saved in Redis by other test files do not apply here.
  process.env.STREAMSCOPE_PREFIX = `${prefix}app:`;
  resetProcessState();
  invalidateSettingsCache();
});

afterAll(async () => {
  process.env.STREAMSCOPE_CONFIG = saved.config;
  process.env.STREAMSCOPE_PREFIX = saved.appPrefix;
  if (saved.config === undefined) delete process.env.STREAMSCOPE_CONFIG;
  if (saved.appPrefix === undefined) delete process.env.STREAMSCOPE_PREFIX;
  resetProcessState();
  invalidateSettingsCache();
  rmSync(dir, { recursive: true, force: true });
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("overview summary with per-group rules", () => {
  it("counts a message as stuck against its group's own threshold, and lists configured family patterns", async () => {
    const key = `${prefix}s`;
    const old = Date.now() - 300_000;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(String(await redis.xadd(key, `${old + i}-0`, "n", String(i))));
    for (const group of ["patient", "eager"]) {
      await redis.xgroup("CREATE", key, group, "0");
      await redis.xreadgroup("GROUP", group, "c", "STREAMS", key, ">");
      // Idle two minutes: stuck for the default 30 s, healthy for the 10 min rule.
      await redis.xclaim(key, group, "c", 0, ...ids, "IDLE", 120_000, "JUSTID");
    }
    const summary = await summarizeOverview(getRedis(), await getSettings(getRedis()), { match: `${prefix}*` });
    expect(summary).toMatchObject({ streams: 1, totalPending: 6, stuck: 3, stuckCapped: false });
    expect(summary.familyPatterns).toEqual([`${prefix}orders_<yyyyMMddHH>`]);
  });
});
