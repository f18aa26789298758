import { afterAll, afterEach, describe, expect, it } from "vitest";
import { resetProcessState } from "@/lib/runtime/state";
import { READ_ONLY_SKIP, tick } from "@/lib/worker/tick";
import { useConfig } from "../../helpers/auth";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("readonly");

afterEach(() => {
  delete process.env.READ_ONLY;
  resetProcessState();
});
afterAll(() => useConfig({}));

/** 300 entries, 250 of them done with (trimmable), 2 pending with `crashed` and stuck after 100 ms. */
async function seed(key: string) {
  const pipe = redis.pipeline();
  for (let i = 1; i <= 300; i++) pipe.xadd(key, `${i}-1`, "n", String(i));
  await pipe.exec();
  await redis.xgroup("CREATE", key, "g", "250-1");
  await redis.xreadgroup("GROUP", "g", "crashed", "COUNT", 2, "STREAMS", key, ">");
  await redis.xreadgroup("GROUP", "g", "alive", "COUNT", 1, "STREAMS", key, ">");
}

function settingsFor(p: string) {
  return settingsFrom({
    families: [{ name: "f", pattern: `${p}fam:<yyyyMMdd>`, groups: ["g"], ttlSeconds: 86400 }],
    groups: [{ stream: `${p}*`, trim: true, stuckAfterMs: 100, policy: "reassign", reassignTo: "rescuer" }],
  });
}

describe.each([
  ["READ_ONLY=1", () => (useConfig({}), (process.env.READ_ONLY = "1"))],
  ["auth.readOnly", () => useConfig({ auth: { readOnly: true } })],
])("read-only mode (%s)", (_name, enable) => {
  it("the worker changes no watched stream, says why, and still samples history and evaluates alerts", async () => {
    const p = uniquePrefix("ro");
    const key = `${p}s`;
    await seed(key);
    await sleep(150);
    enable();
    resetProcessState();
    const result = await tick({ redis, forced: true, keyMatch: `${p}*`, settings: settingsFor(p) });

    expect(await redis.xlen(key)).toBe(300);
    const owners = (await redis.xpending(key, "g", "-", "+", 10)) as [string, string, number, number][];
    expect(owners.map((o) => o[1]).sort()).toEqual(["alive", "crashed", "crashed"]);
    expect(await redis.keys(`${p}fam:*`)).toEqual([]);
    expect(await redis.ttl(key)).toBe(-1);

    const byName = Object.fromEntries(result.jobs.map((j) => [j.name, j]));
    for (const name of ["rotation", "expiry-guard", "reclaim", "trim"]) {
      expect(byName[name], name).toMatchObject({ ran: false, skipped: READ_ONLY_SKIP });
    }
    expect(byName.history?.ran).toBe(true);
    expect(byName.alerts?.ran).toBe(true);
    expect(byName.history?.error).toBeUndefined();
  });
});

describe("outside read-only mode", () => {
  it("the same tick trims, reassigns and creates the family member", async () => {
    useConfig({});
    const p = uniquePrefix("rw");
    const key = `${p}s`;
    await seed(key);
    await sleep(150);
    await tick({ redis, forced: true, keyMatch: `${p}*`, settings: settingsFor(p) });
    expect(await redis.xlen(key)).toBeLessThan(300);
    expect((await redis.keys(`${p}fam:*`)).length).toBeGreaterThan(0);
  });
});
