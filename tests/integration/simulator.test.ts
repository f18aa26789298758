import { afterAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../scripts/lib/simulator";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { parseGroups } from "@/lib/streams/xinfo";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";

describe("demo simulator", () => {
  const redis = testRedis();
  const prefix = uniquePrefix("sim");
  afterAll(() => cleanPrefix(redis, prefix));

  it("produces every state: consumed, pending from a crashed consumer, lag, an hourly family, poison messages and leaked consumers", async () => {
    const sim = await startSimulator({
      redisUrl: process.env.REDIS_URL!,
      prefix,
      ratePerSec: 40,
      crashForMs: 60_000,
      crashEveryBatches: 1,
    });
    await new Promise((r) => setTimeout(r, 3000));
    // Dead letters need a rejected payment and a webhook delivered 5 times, a leaked consumer 60
    // webhooks: on a busy machine they may take a little longer than the rest.
    const ready = async () => {
      const dead = await redis.xrange(sim.keys.deadLetters, "-", "+");
      const origins = new Set(dead.map(([, f]) => f[f.indexOf(DEAD_LETTER_FIELDS.originStream) + 1]));
      const consumers = (await redis.call("XINFO", "CONSUMERS", sim.keys.webhooks, "sender")) as unknown[];
      return origins.size >= 2 && consumers.length > 1;
    };
    for (let waited = 0; waited < 10_000 && !(await ready()); waited += 250)
      await new Promise((r) => setTimeout(r, 250));
    await sim.stop();

    const family: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}orders_*`, "COUNT", 100);
      family.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect(family.length).toBeGreaterThanOrEqual(2);
    expect(family.every((k) => /_\d{10}$/.test(k))).toBe(true);

    const groups = parseGroups(await redis.call("XINFO", "GROUPS", sim.keys.payments));
    const ledger = groups.find((g) => g.name === "ledger")!;
    const audit = groups.find((g) => g.name === "audit")!;
    expect(ledger.entriesRead).toBeGreaterThan(0);
    // worker-crashy stopped holding its third batch: those stay pending.
    const pel = (await redis.call(
      "XPENDING",
      sim.keys.payments,
      "ledger",
      "-",
      "+",
      1000,
      "worker-crashy",
    )) as unknown[];
    expect(pel.length).toBeGreaterThan(0);
    // The audit group reads slowly, so it falls behind.
    expect(audit.lag ?? 0).toBeGreaterThan(0);
    // Poison webhooks are retried again and again; restarts leave idle consumers behind.
    const hooks = (await redis.call("XPENDING", sim.keys.webhooks, "sender", "-", "+", 100)) as [
      string,
      string,
      number,
      number,
    ][];
    expect(hooks.length).toBeGreaterThan(0);
    expect(Math.max(...hooks.map((h) => h[3]))).toBeGreaterThan(2);
    expect(((await redis.call("XINFO", "CONSUMERS", sim.keys.webhooks, "sender")) as unknown[]).length).toBeGreaterThan(
      1,
    );
    // Consumers that gave up left dead letters from two origins, for two reasons.
    const dead = await redis.xrange(sim.keys.deadLetters, "-", "+");
    const meta = (name: string) => new Set(dead.map(([, f]) => f[f.indexOf(name) + 1]));
    expect(meta(DEAD_LETTER_FIELDS.originStream)).toEqual(new Set([sim.keys.payments, sim.keys.webhooks]));
    expect(meta(DEAD_LETTER_FIELDS.reason).size).toBe(2);
    // What the sender gave up on is no longer pending.
    const gone = dead.find(([, f]) => f.includes(sim.keys.webhooks))![1];
    const originId = gone[gone.indexOf(DEAD_LETTER_FIELDS.originId) + 1]!;
    expect(await redis.xpending(sim.keys.webhooks, "sender", originId, originId, 1)).toEqual([]);
  }, 30_000);
});
