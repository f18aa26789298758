import { afterAll, describe, expect, it } from "vitest";
import {
  ackPending,
  claimPending,
  deadLetterPending,
  deletePending,
  requeuePending,
} from "@/lib/actions/pending-actions";
import { deadLetterIds, requeueIds } from "@/lib/actions/move";
import { closeRedis } from "@/lib/redis/client";
import { AppError } from "@/lib/errors";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { deliver, entries, pelIds, redeliver, seedPending, sleep, snapshot } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("pact");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
const key = (name = "s") => `${prefix}${name}${++n}`;

describe("ack", () => {
  it("acks named ids, reports orphans as deleted and ids not pending as skipped", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 5, deliver: 4 });
    await redis.xdel(s, ids[1]!);
    const res = await ackPending(redis, s, "g", { ids: [ids[0]!, ids[1]!, ids[4]!] });
    expect(res).toEqual({
      acked: 2,
      skipped: 1,
      items: [
        { id: ids[0], outcome: "ok" },
        { id: ids[1], outcome: "deleted" },
        { id: ids[4], outcome: "skipped" },
      ],
    });
    expect(await pelIds(redis, s, "g")).toEqual([ids[2], ids[3]]);
  });

  it("acks by filter (consumer and idle), answering counts only", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 6, deliver: 3, consumer: "old" });
    await sleep(600);
    await deliver(redis, s, "g", "new", 3);
    const res = await ackPending(redis, s, "g", { filter: { minIdleMs: 400 } });
    expect(res).toEqual({ acked: 3, skipped: 0 });
    expect(await pelIds(redis, s, "g")).toEqual(ids.slice(3));
    const byConsumer = await ackPending(redis, s, "g", { filter: { consumer: "nobody" } });
    expect(byConsumer).toEqual({ acked: 0, skipped: 0 });
  });

  it("dry run counts and changes nothing", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 8 });
    const before = await snapshot(redis, s, "g");
    expect(await ackPending(redis, s, "g", { filter: { minId: ids[2], maxId: ids[5] }, dryRun: true })).toEqual({
      dryRun: true,
      matched: 4,
    });
    expect(await ackPending(redis, s, "g", { ids: [ids[0]!, "1-1"], dryRun: true })).toEqual({
      dryRun: true,
      matched: 1,
    });
    expect(await snapshot(redis, s, "g")).toEqual(before);
  });

  it("is 404 for an unknown group and 409 for a key of another type", async () => {
    const s = key();
    await seedPending(redis, s, { n: 1 });
    await expect(ackPending(redis, s, "nope", { ids: ["1-0"] })).rejects.toMatchObject({ status: 404 });
    const str = key("str");
    await redis.set(str, "x");
    await expect(ackPending(redis, str, "g", { ids: ["1-0"] })).rejects.toMatchObject({ status: 409 });
    await expect(ackPending(redis, key("missing"), "g", { ids: ["1-0"] })).rejects.toMatchObject({ status: 404 });
  });
});

describe("claim", () => {
  it("claims only messages idle at least minIdleMs, to a new consumer", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4, deliver: 2, consumer: "dead" });
    await sleep(600);
    await deliver(redis, s, "g", "live", 2);
    const res = await claimPending(redis, s, "g", { ids, consumer: "rescuer", minIdleMs: 400 });
    expect(res).toMatchObject({ claimed: 2, deleted: 0, skipped: 2 });
    const pel = (await redis.xpending(s, "g", "-", "+", 10)) as [string, string, number, number][];
    expect(pel.map((r) => [r[0], r[1]])).toEqual([
      [ids[0], "rescuer"],
      [ids[1], "rescuer"],
      [ids[2], "live"],
      [ids[3], "live"],
    ]);
  });

  it("by filter takes the claim's min idle as a filter too, and reports orphans as deleted", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 5, consumer: "w3" });
    await redis.xdel(s, ids[0]!);
    await sleep(600);
    await redeliver(redis, s, "g", "w3", [ids[4]!]); // idle reset: a live consumer just took it
    const dry = await claimPending(redis, s, "g", {
      filter: { consumer: "w3" },
      consumer: "w9",
      minIdleMs: 400,
      dryRun: true,
    });
    expect(dry).toEqual({ dryRun: true, matched: 4 });
    const res = await claimPending(redis, s, "g", { filter: { consumer: "w3" }, consumer: "w9", minIdleMs: 400 });
    expect(res).toEqual({ claimed: 3, deleted: 1, skipped: 0 });
    const pel = (await redis.xpending(s, "g", "-", "+", 10)) as [string, string][];
    expect(pel.map((r) => r[1])).toEqual(["w9", "w9", "w9", "w3"]);
  });
});

describe("requeue", () => {
  it("copies each message to the end of the stream with metadata and acks the original", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 3 });
    await redeliver(redis, s, "g", "c1", [ids[1]!]);
    const res = await requeuePending(redis, s, "g", { ids: [ids[1]!], reason: "stuck" });
    expect(res).toMatchObject({ requeued: 1, skipped: 0 });
    const to = (res as { items: { to?: string }[] }).items[0]!.to!;
    const all = await entries(redis, s);
    const copy = all.find((e) => e.id === to)!;
    expect(all[all.length - 1]!.id).toBe(to);
    expect(copy.fields).toMatchObject({
      payload: "p1",
      n: "1",
      "streamscope-origin-stream": s,
      "streamscope-origin-group": "g",
      "streamscope-origin-id": ids[1],
      "streamscope-deliveries": "2",
      "streamscope-reason": "stuck",
    });
    expect(Number(copy.fields["streamscope-requeued-at"])).toBeGreaterThan(Date.now() - 60_000);
    const raw = await redis.xrange(s, to, to);
    expect(raw[0]![1].slice(0, 4)).toEqual(["payload", "p1", "n", "1"]);
    expect(await pelIds(redis, s, "g")).toEqual([ids[0], ids[2]]);
  });

  it("adds delivery counts across requeues and keeps binary values intact", async () => {
    const s = key();
    const bin = Buffer.from([0xff, 0x00, 0xc3, 0x28]);
    await redis.xgroup("CREATE", s, "g", "0", "MKSTREAM");
    const id = String(await redis.xadd(s, "*", "blob", bin, "blob", "again"));
    await deliver(redis, s, "g", "c1", 1);
    await redeliver(redis, s, "g", "c1", [id]); // 2 deliveries
    const first = await requeueIds(redis, { stream: s, group: "g", ids: [id] });
    const copyId = first.items[0]!.to!;
    await deliver(redis, s, "g", "c1", 1); // the copy, delivery 1
    await redeliver(redis, s, "g", "c1", [copyId]);
    await redeliver(redis, s, "g", "c1", [copyId]); // 3 deliveries
    const second = await requeueIds(redis, { stream: s, group: "g", ids: [copyId] });
    const final = second.items[0]!.to!;
    const [[, flat]] = (await redis.xrangeBuffer(s, final, final)) as [[Buffer, Buffer[]]];
    const names = flat.filter((_, i) => i % 2 === 0).map(String);
    expect(names.filter((n) => n === "streamscope-deliveries")).toHaveLength(1);
    expect(flat[1]!.equals(bin)).toBe(true);
    expect(flat[3]!.toString()).toBe("again");
    const fields = Object.fromEntries(names.map((n, i) => [n, flat[2 * i + 1]!.toString()]));
    expect(fields["streamscope-deliveries"]).toBe("5");
    expect(fields["streamscope-origin-id"]).toBe(copyId);
  });

  it("skips orphaned ids and ids no longer pending, counting them", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4, deliver: 3 });
    await redis.xdel(s, ids[0]!);
    const res = await requeueIds(redis, { stream: s, group: "g", ids });
    expect(res.requeued).toBe(2);
    expect(res.skipped).toBe(2);
    expect(res.items.map((i) => i.outcome)).toEqual(["deleted", "ok", "ok", "skipped"]);
    expect(await pelIds(redis, s, "g")).toEqual([ids[0]]);
  });

  it("refuses a stream read by several groups unless allGroups", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 2 });
    await redis.xgroup("CREATE", s, "other", "0");
    const before = await snapshot(redis, s, "g");
    const err = await requeuePending(redis, s, "g", { ids }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "REQUEUE_NEEDS_ALL_GROUPS", status: 409 });
    await expect(requeuePending(redis, s, "g", { filter: {}, dryRun: true })).rejects.toMatchObject({ status: 409 });
    // The script refuses too (the worker calls it directly).
    await expect(requeueIds(redis, { stream: s, group: "g", ids })).rejects.toMatchObject({
      code: "REQUEUE_NEEDS_ALL_GROUPS",
    });
    expect(await snapshot(redis, s, "g")).toEqual(before);
    const ok = await requeuePending(redis, s, "g", { ids, allGroups: true });
    expect(ok).toMatchObject({ requeued: 2, skipped: 0 });
  });

  it("by filter moves only matching messages (min deliveries)", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 5 });
    await redeliver(redis, s, "g", "c1", [ids[1]!, ids[3]!]);
    const dry = await requeuePending(redis, s, "g", { filter: { minDeliveries: 2 }, dryRun: true });
    expect(dry).toEqual({ dryRun: true, matched: 2 });
    expect(await requeuePending(redis, s, "g", { filter: { minDeliveries: 2 } })).toEqual({ requeued: 2, skipped: 0 });
    expect(await pelIds(redis, s, "g")).toEqual([ids[0], ids[2], ids[4]]);
    expect(await redis.xlen(s)).toBe(7);
  });
});

describe("dead-letter", () => {
  it("moves to <stream>:dlq by default with metadata, acking the original", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 3 });
    const res = await deadLetterPending(redis, s, "g", { ids: [ids[2]!], reason: "poison" });
    expect(res).toMatchObject({ moved: 1, skipped: 0, target: `${s}:dlq` });
    const dlq = await entries(redis, `${s}:dlq`);
    expect(dlq).toHaveLength(1);
    expect(dlq[0]!.fields).toMatchObject({
      payload: "p2",
      "streamscope-origin-stream": s,
      "streamscope-origin-group": "g",
      "streamscope-origin-id": ids[2],
      "streamscope-deliveries": "1",
      "streamscope-reason": "poison",
    });
    expect(dlq[0]!.fields["streamscope-dead-lettered-at"]).toMatch(/^\d+$/);
    expect(await redis.xlen(s)).toBe(3);
    expect(await pelIds(redis, s, "g")).toEqual([ids[0], ids[1]]);
  });

  it("works on a stream with several groups, into a named target, by filter", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4 });
    await redis.xgroup("CREATE", s, "other", "0");
    const target = key("dead");
    const res = await deadLetterPending(redis, s, "g", { filter: { minId: ids[1] }, target });
    expect(res).toEqual({ moved: 3, skipped: 0, target });
    expect(await redis.xlen(target)).toBe(3);
    const viaIds = await deadLetterIds(redis, { stream: s, group: "g", ids: [ids[0]!, ids[1]!], target });
    expect(viaIds).toMatchObject({ moved: 1, skipped: 1 });
  });

  it("refuses the source stream as its own target", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 1 });
    await expect(deadLetterPending(redis, s, "g", { ids, target: s })).rejects.toMatchObject({ status: 400 });
  });
});

describe("delete", () => {
  it("acks and XDELs; orphans are acked and reported deleted", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4, deliver: 3 });
    await redis.xdel(s, ids[1]!);
    const res = await deletePending(redis, s, "g", { ids: [ids[0]!, ids[1]!, ids[3]!] });
    expect(res).toMatchObject({ deleted: 2, skipped: 1 });
    expect((res as { items: unknown[] }).items).toEqual([
      { id: ids[0], outcome: "ok" },
      { id: ids[1], outcome: "deleted" },
      { id: ids[3], outcome: "skipped" },
    ]);
    expect((await entries(redis, s)).map((e) => e.id)).toEqual([ids[2], ids[3]]);
    expect(await pelIds(redis, s, "g")).toEqual([ids[2]]);
  });

  it("by filter deletes every match, orphans included", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 1200 });
    await redis.xdel(s, ids[700]!);
    expect(await deletePending(redis, s, "g", { filter: {} })).toEqual({ deleted: 1200, skipped: 0 });
    expect(await redis.xlen(s)).toBe(0);
    expect(await pelIds(redis, s, "g")).toEqual([]);
  });

  it("by filter with conditions re-checks them and leaves the rest", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4 });
    await redeliver(redis, s, "g", "c1", [ids[0]!, ids[2]!]);
    expect(await deletePending(redis, s, "g", { filter: { minDeliveries: 2 } })).toEqual({ deleted: 2, skipped: 0 });
    expect((await entries(redis, s)).map((e) => e.id)).toEqual([ids[1], ids[3]]);
    expect(await pelIds(redis, s, "g")).toEqual([ids[1], ids[3]]);
  });
});
