import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as reapPOST } from "@/app/api/streams/[key]/groups/[group]/reap/route";
import { REAP_CONSUMERS_PER_CALL, type ReapResponse } from "@/lib/contract/reap";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { expectNoSlowCommands, fromDashboard, type SlowEntry } from "../helpers/slowlog";

const redis = testRedis();
const prefix = uniquePrefix("reapleak");
const CONSUMERS = 100_000;
let slowlogBefore = "10000";

const CREATE_CONSUMERS = `
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], ARGV[1], 'leaked-' .. i)
end
return 1`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const reply = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  slowlogBefore = reply[1] ?? "10000";
});

afterAll(async () => {
  await redis.config("SET", "slowlog-log-slower-than", slowlogBefore);
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

/** A group where "worker" owns 4 messages and 99,999 consumers that never read own nothing. */
async function leakyGroup(stream: string): Promise<void> {
  await redis.xgroup("CREATE", stream, "g", "0", "MKSTREAM");
  for (let i = 0; i < 4; i++) await redis.xadd(stream, "*", "n", String(i));
  await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 3, "STREAMS", stream, ">");
  for (let from = 1; from < CONSUMERS; from += 10_000)
    await redis.eval(CREATE_CONSUMERS, 1, stream, "g", from, Math.min(from + 9_999, CONSUMERS - 1));
  expect(((await redis.xinfo("GROUPS", stream)) as unknown[][])[0]).toContain(CONSUMERS);
  await sleep(2100);
  await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 1, "STREAMS", stream, ">");
}

interface Run {
  stream: string;
  calls: number;
  deleted: number;
  ms: number;
}

/** Bulk reap calls through the route until `more: false`; the worker reads on between them. */
async function reapAll(stream: string): Promise<Run> {
  const run: Run = { stream, calls: 0, deleted: 0, ms: 0 };
  const started = Date.now();
  for (let more = true; more; run.calls++) {
    expect(run.calls).toBeLessThan(CONSUMERS / REAP_CONSUMERS_PER_CALL + 2);
    // On 7.0 only a read that gets something counts as activity; it stays live for 2 s however slow the machine.
    await redis.xadd(stream, "*", "n", "more");
    await redis.xreadgroup("GROUP", "g", "worker", "COUNT", 1, "STREAMS", stream, ">");
    const res = await callRoute<ReapResponse>(reapPOST as never, "/x", {
      params: { key: stream, group: "g" },
      body: { idleMs: 2000, bulk: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ listed: "all", policy: "hand-over", to: "worker", handedOver: 0 });
    // Every consumer of a call owned nothing: all deleted, none kept.
    expect(res.body.deleted).toBe(res.body.consumers.length + res.body.consumersOmitted);
    expect(res.body.deleted).toBeLessThanOrEqual(REAP_CONSUMERS_PER_CALL);
    run.deleted += res.body.deleted;
    more = res.body.more;
  }
  run.ms = Date.now() - started;
  return run;
}

describe("a group with 100,000 idle consumers that own nothing", () => {
  it("bulk reaps them through the route in bounded steps until nothing is left; the live consumer keeps its messages", async () => {
    const runs: Run[] = [];
    // Listing every consumer (XINFO CONSUMERS, O(consumers)) is the one command that may be slow.
    const counted = (e: SlowEntry) =>
      fromDashboard(e) && e[3].slice(0, 2).join(" ").toUpperCase() !== "XINFO CONSUMERS";
    await expectNoSlowCommands(
      redis,
      async () => {
        const stream = `${prefix}jobs${runs.length}`;
        await leakyGroup(stream);
        runs.push(await reapAll(stream));
      },
      counted,
    );
    for (const run of runs) {
      expect(run.deleted).toBe(CONSUMERS - 1);
      expect(run.calls).toBe(CONSUMERS / REAP_CONSUMERS_PER_CALL);
      const owned = 4 + run.calls;
      const consumers = (await redis.xinfo("CONSUMERS", run.stream, "g")) as unknown[][];
      expect(consumers.map((r) => [r[1], r[3]])).toEqual([["worker", owned]]);
      const pending = (await redis.xpending(run.stream, "g", "-", "+", 100)) as [string, string][];
      expect(pending.map((p) => p[1])).toEqual(Array.from({ length: owned }, () => "worker"));
    }
  }, 300_000);
});
