import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { describeStreams } from "@/lib/streams/rows";
import { readFirstUndelivered, readOldestPending, readPendingStates, readStuckCounts } from "@/lib/streams/snapshot";
import { timeMsToId } from "@/lib/contract/ids";
import { cleanPrefix, uniquePrefix } from "../helpers/redis";
import { recordSentCommands } from "../helpers/sent-commands";

const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
const sent = recordSentCommands(redis);

const prefix = uniquePrefix("rowcost");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

describe("the list rows' per-group reads", () => {
  it("read a small pending list once for its oldest entry and stuck count, and no XRANGE for a group behind the first entry", async () => {
    const key = `${prefix}s`;
    const t0 = Date.now() - 120_000;
    for (let i = 0; i < 4; i++) await redis.xadd(key, `${t0 + i}-0`, "n", String(i));
    await redis.xgroup("CREATE", key, "behind", "0");
    await redis.xgroup("CREATE", key, "reading", "0");
    await redis.xreadgroup("GROUP", "reading", "c", "COUNT", 2, "STREAMS", key, ">");
    await redis.call("XCLAIM", key, "reading", "c", "0", `${t0}-0`, "IDLE", "60000", "JUSTID");

    sent.clear();
    const [row] = await describeStreams(redis, [key], { groups: [] });
    expect(row).toMatchObject({ pending: 2, stuck: 1, stuckCapped: false, lag: 4 });
    expect(row!.oldestPendingMs).toBeGreaterThanOrEqual(119_000);
    expect(row!.lagMs).toBeGreaterThanOrEqual(119_000);
    expect(sent.count("xpending")).toBe(1);
    expect(sent.all.find((c) => c[0] === "xpending")).toEqual(["xpending", key, "reading", "-", "+", "2"]);
    // "behind" is behind the first entry (XINFO STREAM's); "reading" needs the entry after its last-delivered id.
    expect(sent.count("xrange")).toBe(1);
    expect(sent.all.find((c) => c[0] === "xrange")).toEqual(["xrange", key, `(${t0 + 1}-0`, "+", "COUNT", "1"]);

    // The same answers as the separate reads.
    const now = Date.now();
    const target = {
      stream: key,
      group: "reading",
      minIdleMs: 30_000,
      pending: 2,
      end: timeMsToId(now - 30_000, "end"),
    };
    const [state] = await readPendingStates(redis, [target], { totalBudget: 10_000 });
    const [oldest] = await readOldestPending(redis, [target]);
    const [stuck] = await readStuckCounts(redis, [target], { totalBudget: 10_000 });
    expect(state!.oldest).toMatchObject({ id: oldest!.id, consumer: oldest!.consumer, deliveries: oldest!.deliveries });
    expect(state!.stuck).toMatchObject({
      count: stuck!.count,
      scanned: stuck!.scanned,
      complete: stuck!.complete,
      mostDelivered: { id: stuck!.mostDelivered!.id },
    });
    const ids = await readFirstUndelivered(redis, [
      { stream: key, group: "behind", lastDeliveredId: "0-0", firstEntryId: `${t0}-0` },
      { stream: key, group: "reading", lastDeliveredId: `${t0 + 1}-0` },
    ]);
    expect(ids).toEqual([`${t0}-0`, `${t0 + 2}-0`]);
  });

  it("read a group's first undelivered entry once per last-delivered-id, and follow a trim past it", async () => {
    const key = `${prefix}memo`;
    const t0 = Date.now() - 600_000;
    for (let i = 0; i < 6; i++) await redis.xadd(key, `${t0 + i * 60_000}-0`, "n", String(i));
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    const lagRow = async () => ({ lagMs: (await describeStreams(redis, [key], { groups: [] }))[0]!.lagMs ?? -1 });
    const lagXranges = () => sent.all.filter((c) => c[0] === "xrange" && c[1] === key).length;

    sent.clear();
    const first = await lagRow();
    expect(lagXranges()).toBe(1);
    expect(first.lagMs).toBeGreaterThanOrEqual(540_000);
    sent.clear();
    const again = await lagRow();
    expect(lagXranges()).toBe(0);
    expect(again.lagMs).toBeGreaterThanOrEqual(first.lagMs);

    // The group reads on: a new last-delivered-id, read again.
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    sent.clear();
    const readOn = await lagRow();
    expect(lagXranges()).toBe(1);
    expect(readOn.lagMs).toBeLessThan(first.lagMs - 50_000);

    // Trimmed past the remembered entry: the stream's first entry answers, not the memo.
    await redis.xtrim(key, "MINID", `${t0 + 4 * 60_000}`);
    const trimmed = await lagRow();
    expect(trimmed.lagMs).toBeLessThan(readOn.lagMs - 100_000);
    expect(trimmed.lagMs).toBeGreaterThanOrEqual(120_000);
  });

  it("keep the separate bounded reads when the page's pending lists do not fit the budget", async () => {
    const key = `${prefix}big`;
    const pipe = redis.pipeline();
    for (let i = 0; i < 30; i++) pipe.xadd(key, `${1000 + i}-0`, "n", String(i));
    pipe.xgroup("CREATE", key, "g", "0");
    await pipe.exec();
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 30, "STREAMS", key, ">");
    sent.clear();
    const [state] = await readPendingStates(redis, [{ stream: key, group: "g", minIdleMs: 0, pending: 30 }], {
      totalBudget: 10,
    });
    expect(state).toMatchObject({ oldest: { id: "1000-0" }, stuck: { count: 10, scanned: 10, complete: false } });
    expect(sent.all.filter((c) => c[0] === "xpending").map((c) => c.slice(3))).toEqual([
      ["-", "+", "1"],
      ["-", "+", "10"],
    ]);
  });
});
