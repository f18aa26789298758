import { describe, expect, it } from "vitest";
import { expiryGuardJob } from "@/lib/worker/jobs/expiry-guard";
import { privateRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

// A server of its own: on the shared one, the job's bounded SCAN slice may not reach these keys
// among the thousands other test files write meanwhile, and the 2 s timings would not hold.
const own = privateRedis();
const redis = () => own.raw();
withAppPrefix("guard");

const run = (p: string, worker: Record<string, number>) =>
  expiryGuardJob.run({
    redis: redis(),
    settings: settingsFrom({ worker }),
    now: Date.now(),
    forced: true,
    heartbeat: async () => undefined,
    keyMatch: `${p}*`,
  });

describe("expiry guard", () => {
  it("keeps a stream with a 2 s TTL and pending messages alive, then stops at the cap and says what is lost", async () => {
    const p = uniquePrefix("guard");
    const key = `${p}hot`;
    await redis().xadd(key, "*", "f", "1");
    await redis().xadd(key, "*", "f", "2");
    await redis().xgroup("CREATE", key, "g", "0");
    await redis().xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    await redis().pexpire(key, 2000);
    const planned = Date.now() + 2000;

    const first = await run(p, { guardWindowMs: 3000, guardCapMs: 6000 });
    expect(first.counts.extended).toBe(1);
    expect(first.findings?.[0]).toMatchObject({ kind: "expiry-extended", stream: key, messagesAtRisk: 2 });
    const afterFirst = (await redis().call("PEXPIRETIME", key)) as number;
    expect(afterFirst).toBeGreaterThan(planned + 3000);

    await sleep(3300);
    expect(await redis().exists(key)).toBe(1);
    const second = await run(p, { guardWindowMs: 3000, guardCapMs: 6000 });
    expect(second.counts.capped).toBe(1);
    expect(second.findings?.[0]).toMatchObject({ kind: "expiry-cap-reached", severity: "critical", messagesAtRisk: 2 });
    const capped = (await redis().call("PEXPIRETIME", key)) as number;
    expect(capped).toBeLessThanOrEqual(planned + 6000 + 50);
    expect(capped).toBeGreaterThan(planned + 5000);

    await sleep(2000);
    const third = await run(p, { guardWindowMs: 3000, guardCapMs: 6000 });
    expect(third.counts.atCap).toBe(1);
    expect(third.findings?.[0]?.message).toMatch(/2 message\(s\).*will be lost/);
    expect(await redis().call("PEXPIRETIME", key)).toBe(capped);
  });

  it("leaves alone streams with nothing unprocessed, without expiry, or far from expiry; extends one with waiting entries", async () => {
    const p = uniquePrefix("guard");
    const done = `${p}done`;
    await redis().xadd(done, "*", "f", "1");
    await redis().xgroup("CREATE", done, "g", "$");
    await redis().pexpire(done, 2000);
    const noGroups = `${p}nogroups`;
    await redis().xadd(noGroups, "*", "f", "1");
    await redis().pexpire(noGroups, 2000);
    const persistent = `${p}persistent`;
    await redis().xadd(persistent, "*", "f", "1");
    await redis().xgroup("CREATE", persistent, "g", "0");
    const far = `${p}far`;
    await redis().xadd(far, "*", "f", "1");
    await redis().xgroup("CREATE", far, "g", "0");
    await redis().pexpire(far, 60_000);
    const waiting = `${p}waiting`;
    await redis().xadd(waiting, "*", "f", "1");
    await redis().xgroup("CREATE", waiting, "g", "0");
    await redis().pexpire(waiting, 2000);

    const res = await run(p, { guardWindowMs: 5000, guardCapMs: 60_000 });
    expect(res.findings?.map((f) => f.stream)).toEqual([waiting]);
    expect(await redis().pttl(done)).toBeLessThanOrEqual(2000);
    expect(await redis().pttl(noGroups)).toBeLessThanOrEqual(2000);
    expect(await redis().pttl(persistent)).toBe(-1);
    expect(await redis().pttl(far)).toBeLessThanOrEqual(60_000);
    expect(await redis().pttl(waiting)).toBeGreaterThan(5000);
  });
});
