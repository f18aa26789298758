import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { trimAcked } from "@/lib/streams/trim";
import { trimJob } from "@/lib/worker/jobs/trim";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("trim");

async function seed(key: string, n: number) {
  const pipe = redis.pipeline();
  for (let i = 1; i <= n; i++) pipe.xadd(key, `${i}-1`, "n", String(i));
  await pipe.exec();
}

describe("trim", () => {
  it("removes what every group has acked, and nothing on a stream without groups", async () => {
    const p = uniquePrefix("trim");
    const key = `${p}s`;
    await seed(key, 1000);
    expect((await trimAcked(redis, key, 100_000)).removed).toBe(0);
    await redis.xgroup("CREATE", key, "a", "900-1");
    await redis.xgroup("CREATE", key, "b", "1000-1");
    const out = await trimAcked(redis, key, 100_000);
    expect(out.threshold).toBe("900-2");
    expect(out.removed).toBeGreaterThan(700);
    const [first] = (await redis.xrange(key, "-", "+", "COUNT", 1)) as [string, string[]][];
    expect(Number(first![0].split("-")[0])).toBeLessThanOrEqual(901);
  });

  it("never removes an entry that is pending or waiting in any group (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 450 }),
        fc.array(fc.record({ last: fc.nat(), pel: fc.array(fc.nat(), { maxLength: 8 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (n, groups) => {
          const key = `${uniquePrefix("trimprop")}s`;
          await seed(key, n);
          const keep = new Set<number>();
          for (const [gi, g] of groups.entries()) {
            const last = g.last % (n + 1);
            await redis.xgroup("CREATE", key, `g${gi}`, last === 0 ? "0" : `${last}-1`);
            for (let i = last + 1; i <= n; i++) keep.add(i);
            for (const raw of g.pel) {
              const id = (raw % n) + 1;
              await redis.call("XCLAIM", key, `g${gi}`, "c", 0, `${id}-1`, "FORCE", "JUSTID");
              keep.add(id);
            }
          }
          await trimAcked(redis, key, 1_000_000);
          const pipe = redis.pipeline();
          const wanted = [...keep];
          for (const id of wanted) pipe.xrange(key, `${id}-1`, `${id}-1`);
          const res = (await pipe.exec()) ?? [];
          const missing = wanted.filter((_, i) => (res[i]![1] as unknown[]).length !== 1);
          await redis.del(key);
          expect(missing).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("the job trims only streams whose every group's rule has trim: true, within the budget", async () => {
    const p = uniquePrefix("trimjob");
    const on = `${p}on`;
    const off = `${p}off`;
    for (const key of [on, off]) {
      await seed(key, 600);
      await redis.xgroup("CREATE", key, "g", "600-1");
    }
    const settings = settingsFrom({ groups: [{ stream: `${p}on`, trim: true }], worker: { trimBudget: 1_000_000 } });
    const res = await trimJob.run({
      redis,
      settings,
      now: Date.now(),
      forced: true,
      heartbeat: async () => undefined,
      keyMatch: `${p}*`,
    });
    expect(res.counts.streamsTrimmed).toBe(1);
    expect(await redis.xlen(on)).toBeLessThan(600);
    expect(await redis.xlen(off)).toBe(600);
  });
});
