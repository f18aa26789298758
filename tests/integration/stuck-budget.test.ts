import { getSettings } from "@/lib/config/settings";
import Redis from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { snapshotStreams } from "@/lib/streams/snapshot";
import { countIdlePending } from "@/lib/pending/idle-count";
import { STUCK_READ_FACTOR, summarizeOverview } from "@/lib/streams/summary";
import { useOwnAppPrefix } from "../helpers/settings";
import { cleanPrefix, uniquePrefix } from "../helpers/redis";
import { recordSentCommands } from "../helpers/sent-commands";

/**
 * Stuck counting reads the PEL with plain, bounded XPENDING ranges. Every XPENDING this client
 * sends is recorded (on the client, so other test files cannot skew it).
 */
const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
const sent = recordSentCommands(redis);
/** The arguments of each XPENDING sent since the last clear. */
const xpendingArgs = () => sent.named("xpending").map((c) => c.slice(1));

const prefix = uniquePrefix("stuckbudget");
beforeAll(() => {
  useOwnAppPrefix("stuck-budget");
});
beforeEach(() => {
  sent.clear();
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

/** `n` entries with ids in the past, all delivered to one consumer; returns their ids. */
async function seedPel(key: string, n: number, group = "g"): Promise<string[]> {
  const old = Date.now() - 600_000;
  const ids: string[] = [];
  const pipe = redis.pipeline();
  for (let i = 0; i < n; i++) {
    ids.push(`${old + i}-0`);
    pipe.xadd(key, `${old + i}-0`, "n", String(i));
  }
  pipe.xgroup("CREATE", key, group, "0");
  await pipe.exec();
  for (let read = 0; read < n; read += 1000)
    await redis.xreadgroup("GROUP", group, "c", "COUNT", 1000, "STREAMS", key, ">");
  return ids;
}

async function makeIdle(key: string, ids: string[], group = "g") {
  await redis.xclaim(key, group, "c", 0, ...ids, "IDLE", 600_000, "JUSTID");
}

/** XPENDING calls that read a range (not the `- + 1` oldest probe), as their COUNT. */
function rangeCounts(): number[] {
  return xpendingArgs()
    .filter((args) => !(args[2] === "-" && args[3] === "+" && args[4] === "1"))
    .map((args) => Number(args[4]));
}

function expectNoIdleOption() {
  expect(xpendingArgs().length).toBeGreaterThan(0);
  for (const args of xpendingArgs()) expect(args.map((a) => a.toUpperCase())).not.toContain("IDLE");
}

describe("countIdlePending", () => {
  it("counts exactly on a small PEL", async () => {
    const key = `${prefix}small`;
    const ids = await seedPel(key, 10);
    await makeIdle(key, [ids[2]!, ids[5]!, ids[9]!]);
    const [c] = await countIdlePending(redis, [{ stream: key, group: "g", minIdleMs: 30_000, pending: 10 }], {
      perGroupBudget: 1000,
    });
    expect(c).toMatchObject({ count: 3, scanned: 10, complete: true });
    expect(c!.maxIdleMs).toBeGreaterThanOrEqual(600_000);
    expectNoIdleOption();
  });

  it("stops at the per-group budget on a larger PEL and says the count is a lower bound", async () => {
    const key = `${prefix}big`;
    const ids = await seedPel(key, 100);
    await makeIdle(key, [ids[0]!, ids[3]!, ids[50]!]);
    const [c] = await countIdlePending(redis, [{ stream: key, group: "g", minIdleMs: 30_000, pending: 100 }], {
      perGroupBudget: 10,
    });
    expect(c).toMatchObject({ count: 2, scanned: 10, complete: false });
    expect(rangeCounts().reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
    expectNoIdleOption();
  });

  it("pages past 1000 with COUNT <= 1000 and resumes after the last id", async () => {
    const key = `${prefix}paged`;
    const ids = await seedPel(key, 2100);
    await makeIdle(key, [ids[0]!, ids[1200]!, ids[1600]!]);
    const [c] = await countIdlePending(redis, [{ stream: key, group: "g", minIdleMs: 30_000, pending: 2100 }], {
      perGroupBudget: 1500,
    });
    expect(c).toMatchObject({ count: 2, scanned: 1500, complete: false });
    expect(rangeCounts()).toEqual([1000, 500]);
    expect(xpendingArgs()[1]![2]).toBe(`(${ids[999]}`);
    const [all] = await countIdlePending(redis, [{ stream: key, group: "g", minIdleMs: 30_000, pending: 2100 }]);
    expect(all).toMatchObject({ count: 3, scanned: 2100, complete: true });
  });

  it("shares a total budget across groups in order", async () => {
    const keys = [`${prefix}t1`, `${prefix}t2`, `${prefix}t3`];
    for (const key of keys) await makeIdle(key, await seedPel(key, 5));
    const counts = await countIdlePending(
      redis,
      keys.map((stream) => ({ stream, group: "g", minIdleMs: 30_000, pending: 5 })),
      { totalBudget: 7 },
    );
    expect(counts.map((c) => [c.count, c.complete])).toEqual([
      [5, true],
      [2, false],
      [0, false],
    ]);
    expect(rangeCounts().reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(7);
  });
});

describe("stuck counts of the alert snapshot and the overview stay within their budget", () => {
  it("snapshot: exact under the budget, capped lower bound over it", async () => {
    const key = `${prefix}snap`;
    const ids = await seedPel(key, 100);
    await makeIdle(key, [ids[1]!, ids[4]!, ids[80]!]);
    const opts = { groupRules: [], now: Date.now(), stuck: true };

    const [exact] = await snapshotStreams(redis, [key], opts);
    expect(exact!.groups[0]!.stuck).toMatchObject({ count: 3, capped: false });
    expectNoIdleOption();

    sent.clear();
    const [bounded] = await snapshotStreams(redis, [key], { ...opts, stuckScanBudget: 10 });
    expect(bounded!.groups[0]!.stuck).toMatchObject({ count: 2, capped: true });
    expect(bounded!.groups[0]!.stuck!.maxIdleMs).toBeGreaterThanOrEqual(600_000);
    expect(rangeCounts().reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
    expectNoIdleOption();
  });

  it("overview: reads at most STUCK_READ_FACTOR x stuckCap PEL entries in all and marks the count capped", async () => {
    const p = `${prefix}ov:`;
    const key = `${p}a`;
    const ids = await seedPel(key, 100);
    await makeIdle(key, ids.slice(0, 3));
    // A second group (XINFO GROUPS lists groups by name, so it is counted after "g").
    await redis.xgroup("CREATE", key, "h", "0");
    await redis.xreadgroup("GROUP", "h", "c", "COUNT", 100, "STREAMS", key, ">");

    // A cap of 2 reads at most 20 entries: it finds the 3 stuck ones, shows 2 and says "2+".
    const bounded = await summarizeOverview(redis, await getSettings(redis), { match: `${p}*`, stuckCap: 2 });
    expect(bounded).toMatchObject({ totalPending: 200, stuck: 2, stuckCapped: true, stuckCap: 2 });
    expect(rangeCounts().reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * STUCK_READ_FACTOR);
    expectNoIdleOption();

    const exact = await summarizeOverview(redis, await getSettings(redis), { match: `${p}*`, stuckCap: 1000 });
    expect(exact).toMatchObject({ stuck: 3, stuckCapped: false });
  });
});
