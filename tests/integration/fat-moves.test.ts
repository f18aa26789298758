/**
 * Moves of big entries against the real redis-server: a script that reads or copies an entry
 * copies its bytes, so each call stops after about SCRIPT_ENTRY_BYTES of entries and the rest of its
 * batch goes in the next call (scripts.ts). Entries of 512 KiB: dead-letter (one script call per
 * entry, seen by MONITOR), requeue, ack with items and the redrive by ids and by walk (through the
 * dashboard's connection) each move every message exactly once. Time inside Redis is not asserted
 * here: a copy of 512 KiB takes about 2.3 ms on an idle server, but 10-20 ms on a loaded CI machine,
 * where a producer's own XADD of the same value took 13.5 ms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deadLetterIds, requeueIds } from "@/lib/actions/move";
import { ackPending } from "@/lib/actions/pending-actions";
import { redrive, redriveMatching } from "@/lib/actions/redrive";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import { closeRedis, getConnection } from "@/lib/redis/client";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { watchCommands } from "../helpers/monitor";

const redis = testRedis();
const prefix = uniquePrefix("fatmoves");
const stream = `${prefix}s`;
const dlq = `${prefix}s:dlq`;
const SIZE = 512 * 1024;
const ids: string[] = [];

beforeAll(async () => {
  for (let i = 0; i < 30; i++)
    ids.push((await redis.xadd(stream, "*", "payload", Buffer.alloc(SIZE, 97 + (i % 26)), "n", String(i)))!);
  await redis.xgroup("CREATE", stream, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c1", "COUNT", 100, "STREAMS", stream, ">");
}, 60_000);

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

async function pendingIds(group: string): Promise<string[]> {
  return ((await redis.xpending(stream, group, "-", "+", 1000)) as [string][]).map((r) => r[0]);
}

describe("moves of 512 KiB entries, a bounded call at a time", () => {
  it("dead-letters 25 entries whole, each once, and leaves the other 5 pending", async () => {
    const watch = await watchCommands(process.env.REDIS_URL!);
    for (const batch of [ids.slice(0, 12), ids.slice(12, 25)]) {
      const res = await deadLetterIds(await getConnection(), { stream, group: "g", ids: batch, target: dlq });
      expect(res.moved).toBe(batch.length);
      expect(res.items.map((i) => i.outcome)).toEqual(Array(batch.length).fill("ok"));
    }
    // Each entry is past SCRIPT_ENTRY_BYTES: at least one move script call per entry (2 calls in all before the bound).
    const calls = (await watch.stop()).filter((l) => /^"evalsha"/i.test(l) && l.includes(`"${dlq}"`));
    expect(calls.length).toBeGreaterThanOrEqual(25);
    expect(await pendingIds("g")).toEqual(ids.slice(25));
    const copies = await redis.xrangeBuffer(dlq, "-", "+");
    expect(copies).toHaveLength(25);
    const origins = copies.map(([, fields]) => {
      const at = fields.findIndex((f) => f.toString() === DEAD_LETTER_FIELDS.originId);
      return fields[at + 1]!.toString();
    });
    expect(origins).toEqual(ids.slice(0, 25));
    expect(copies.every(([, fields]) => fields[0]!.toString() === "payload" && fields[1]!.length === SIZE)).toBe(true);
  });

  it("requeues the other 5, each once", async () => {
    const res = await requeueIds(await getConnection(), { stream, group: "g", ids: ids.slice(25) });
    expect(res.requeued).toBe(5);
    expect(await pendingIds("g")).toEqual([]);
    expect(await redis.xlen(stream)).toBe(35);
  });

  it("acks with items (each entry looked up), reporting every id once", async () => {
    await redis.xgroup("CREATE", stream, "g2", "0");
    await redis.xreadgroup("GROUP", "g2", "c2", "COUNT", 100, "STREAMS", stream, ">");
    const res = await ackPending(await getConnection(), stream, "g2", { ids: ids.slice(0, 20) });
    expect(res).toMatchObject({ acked: 20, skipped: 0 });
    expect((res as { items: { id: string; outcome: string }[] }).items.map((i) => i.id)).toEqual(ids.slice(0, 20));
    expect(await pendingIds("g2")).toHaveLength(15);
  });

  it("redrives every dead-lettered entry back, each once: five by id, then the rest by the walk", async () => {
    const byId = (await redis.xrange(dlq, "-", "+", "COUNT", 5)).map(([id]) => id);
    const named = await redrive(await getConnection(), dlq, { ids: byId });
    expect(named).toMatchObject({ redriven: 5, skipped: 0 });
    const res = await redriveMatching(await getConnection(), dlq, { filter: {}, scanLimit: 100 });
    expect(res).toMatchObject({ matched: 20, redriven: 20, skipped: 0, more: false });
    expect(await redis.xlen(dlq)).toBe(0);
    expect(await redis.xlen(stream)).toBe(60);
  });
});
