import { describe, expect, it } from "vitest";
import { rotateFamily, rotationJob } from "@/lib/worker/jobs/rotation";
import { familySchema } from "@/lib/contract/config";
import { parseGroups } from "@/lib/streams/xinfo";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { withAppPrefix, settingsFrom } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("rotation");
// In the future, so that every EXPIREAT the worker computes is still ahead of the real clock.
const NOW = Date.parse("2027-11-25T10:20:00Z");

async function groupsOf(key: string) {
  return parseGroups(await redis.call("XINFO", "GROUPS", key)).map((g) => ({ name: g.name, last: g.lastDeliveredId }));
}

describe("rotation", () => {
  it("creates the current and ahead members with their groups at 0 and EXPIREAT end of period + ttl, no entry", async () => {
    const p = uniquePrefix("rot");
    const family = familySchema.parse({
      name: "orders",
      pattern: `${p}orders_<yyyyMMddHH>`,
      groups: ["g1", "g2"],
      ttlSeconds: 7200,
      ahead: 2,
    });
    const res = await rotateFamily(redis, family, NOW);
    expect(res.counts.streamsCreated).toBe(3);
    expect(res.counts.groupsCreated).toBe(6);
    for (const [hour, end] of [
      ["10", "11"],
      ["11", "12"],
      ["12", "13"],
    ] as const) {
      const key = `${p}orders_20271125${hour}`;
      expect(await redis.type(key)).toBe("stream");
      expect(await redis.xlen(key)).toBe(0);
      expect(await groupsOf(key)).toEqual([
        { name: "g1", last: "0-0" },
        { name: "g2", last: "0-0" },
      ]);
      expect(await redis.call("EXPIRETIME", key)).toBe(Date.parse(`2027-11-25T${end}:00:00Z`) / 1000 + 7200);
    }
    expect(await redis.exists(`${p}orders_2027112513`)).toBe(0);
  });

  it("is idempotent and adds a group missing on an existing member without touching its expiry", async () => {
    const p = uniquePrefix("rot");
    const family = familySchema.parse({
      name: "o",
      pattern: `${p}o_<yyyyMMddHH>`,
      groups: ["g1"],
      ttlSeconds: 60,
      ahead: 0,
    });
    await rotateFamily(redis, family, NOW);
    const key = `${p}o_2027112510`;
    await redis.xadd(key, "*", "f", "v");
    const expireTime = await redis.call("EXPIRETIME", key);
    const again = await rotateFamily(redis, family, NOW);
    expect(again.counts).toMatchObject({ streamsCreated: 0, groupsCreated: 0, lateProducerFixed: 0 });
    expect(await redis.xlen(key)).toBe(1);
    expect(await redis.call("EXPIRETIME", key)).toBe(expireTime);
    const more = familySchema.parse({ ...family, groups: ["g1", "g2"] });
    const added = await rotateFamily(redis, more, NOW);
    expect(added.counts.groupsCreated).toBe(1);
    expect((await groupsOf(key)).map((g) => g.name)).toEqual(["g1", "g2"]);
  });

  it("gives a late producer's key (no expiry) its family's expiry and reports it", async () => {
    const p = uniquePrefix("rot");
    const family = familySchema.parse({
      name: "o",
      pattern: `${p}o_<yyyyMMddHH>`,
      groups: ["g"],
      ttlSeconds: 3600,
      ahead: 0,
    });
    // The current hour, created by a producer before the worker: no TTL, no group.
    const current = `${p}o_2027112510`;
    await redis.xadd(current, "*", "late", "1");
    // An old hour recreated after it expired: its planned expiry is past.
    const old = `${p}o_2027112401`;
    await redis.xadd(old, "*", "late", "2");
    const res = await rotateFamily(redis, family, NOW);
    expect(res.counts.lateProducerFixed).toBe(2);
    expect(res.findings?.map((f) => f.stream).sort()).toEqual([current, old].sort());
    expect(await redis.call("EXPIRETIME", current)).toBe(Date.parse("2027-11-25T11:00:00Z") / 1000 + 3600);
    // Never expired at once: at least ttlSeconds from now.
    const oldExpire = (await redis.call("PEXPIRETIME", old)) as number;
    expect(oldExpire).toBeGreaterThanOrEqual(NOW + 3600_000);
    expect(await groupsOf(current)).toEqual([{ name: "g", last: "0-0" }]);
    expect(await redis.xlen(current)).toBe(1);
  });

  it("leaves a key of another type alone and says so", async () => {
    const p = uniquePrefix("rot");
    await redis.set(`${p}o_2027112510`, "x");
    const family = familySchema.parse({
      name: "o",
      pattern: `${p}o_<yyyyMMddHH>`,
      groups: ["g"],
      ttlSeconds: 60,
      ahead: 0,
    });
    const res = await rotateFamily(redis, family, NOW);
    expect(res.counts.wrongType).toBe(1);
    expect(await redis.get(`${p}o_2027112510`)).toBe("x");
  });

  it("runs every configured family as a job", async () => {
    const p = uniquePrefix("rot");
    const settings = settingsFrom({
      families: [
        { name: "a", pattern: `${p}a_<yyyyMMddHH>`, groups: ["g"], ttlSeconds: 10 },
        { name: "b", pattern: `${p}b_<yyyyMMdd>`, groups: ["g"], ttlSeconds: 10, timeZone: "Europe/Berlin" },
      ],
    });
    const res = await rotationJob.run({ redis, settings, now: NOW, forced: true, heartbeat: async () => undefined });
    expect(res.counts.streamsCreated).toBe(4);
    expect(await redis.exists(`${p}b_20271125`, `${p}b_20271126`, `${p}a_2027112510`, `${p}a_2027112511`)).toBe(4);
  });
});
