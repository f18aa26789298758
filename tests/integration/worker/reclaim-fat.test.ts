/**
 * The reclaim job's reassign against the real redis-server, with entries of 2 MiB: XAUTOCLAIM
 * answers the claimed entries whole (no JUSTID, so the claim counts as a delivery), so each call's
 * COUNT is sized in bytes and no call is over 10 ms inside Redis. Two groups on one stream, so that
 * a call that is too big is slow twice (the slow-log helper holds a write only when it is).
 * Before the bound, one XAUTOCLAIM COUNT 12 of such entries took far over 10 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reclaimJob } from "@/lib/worker/jobs/reclaim";
import { closeRedis, getWriteConnection } from "@/lib/redis/client";
import { cleanPrefix, testRedis, uniquePrefix } from "../../helpers/redis";
import { expectNoSlowDashboardCommands, fromDashboardOn, resetSlowLog } from "../../helpers/slowlog";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("reclaimfat");
const prefix = uniquePrefix("reclaimfat");
const stream = `${prefix}s`;
const groups = ["a", "b"];
const MiB = 1024 * 1024;
const STUCK_AFTER_MS = 2000;
const ids: string[] = [];

type PendingRow = [string, string, number, number];

beforeAll(async () => {
  for (let i = 0; i < 12; i++)
    ids.push((await redis.xadd(stream, "*", "payload", Buffer.alloc(2 * MiB, 97 + (i % 26)), "n", String(i)))!);
  for (const g of groups) {
    await redis.xgroup("CREATE", stream, g, "0");
    await redis.xreadgroup("GROUP", g, "crashed", "COUNT", 100, "STREAMS", stream, ">");
  }
  await sleep(STUCK_AFTER_MS + 100);
  // A live consumer in each group: it just read (one small entry of its own).
  await redis.xadd(stream, "*", "n", "new");
  for (const g of groups) await redis.xreadgroup("GROUP", g, "live", "COUNT", 1, "STREAMS", stream, ">");
}, 60_000);

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("reclaim of 2 MiB entries, a bounded XAUTOCLAIM at a time", () => {
  it("reassigns every stuck entry to the live consumer, one more delivery each, with no call over 10 ms", async () => {
    await resetSlowLog(redis);
    const res = await reclaimJob.run({
      redis: await getWriteConnection(),
      settings: settingsFrom({ groups: [{ stream: `${prefix}*`, stuckAfterMs: STUCK_AFTER_MS, policy: "reassign" }] }),
      now: Date.now(),
      forced: true,
      heartbeat: async () => undefined,
      keyMatch: `${prefix}*`,
    });
    expect(res.counts).toMatchObject({ stuck: 24, reassigned: 24, failed: 0, noLiveConsumer: 0, deleted: 0 });
    for (const g of groups) {
      const pel = (await redis.xpending(stream, g, "-", "+", 100)) as PendingRow[];
      const stuck = pel.filter(([id]) => ids.includes(id));
      expect(stuck.map(([id]) => id)).toEqual(ids);
      expect(stuck.every(([, consumer, , deliveries]) => consumer === "live" && deliveries === 2)).toBe(true);
      expect(pel.filter(([, consumer]) => consumer === "crashed")).toEqual([]);
    }
    await expectNoSlowDashboardCommands(redis, fromDashboardOn(prefix));
  });
});
