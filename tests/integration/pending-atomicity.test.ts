import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { deadLetterIds, requeueIds } from "@/lib/actions/move";
import { ackPending, claimPending, deadLetterPending, requeuePending } from "@/lib/actions/pending-actions";
import { toAppError } from "@/lib/redis/errors";
import { moveScript } from "@/lib/actions/scripts";
import { AppError } from "@/lib/errors";
import { redrive } from "@/lib/actions/redrive";
import { closeRedis } from "@/lib/redis/client";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { entries, pelIds, seedPending, sleep, snapshot } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("patom");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
const key = (name = "s") => `${prefix}${name}${++n}`;

describe("atomicity: a script that fails changes nothing", () => {
  it("the requeue script's several-groups refusal arrives with its code, REQUEUE_NEEDS_ALL_GROUPS", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 3 });
    await redis.xgroup("CREATE", s, "other", "0");
    const before = await snapshot(redis, s, "g");
    const record = key("record");
    const raw = await moveScript
      .run(redis, [record, s, s], ["g", "requeue", "r", "0", "", 0, 0, ...ids])
      .catch((e: Error) => e);
    expect(String(raw)).toMatch(/^ReplyError: REQUEUE_NEEDS_ALL_GROUPS /);
    const translated = toAppError(raw);
    expect(translated).toBeInstanceOf(AppError);
    expect(translated).toMatchObject({
      code: "REQUEUE_NEEDS_ALL_GROUPS",
      status: 409,
      message: expect.stringMatching(/^Stream .* is read by 2 groups/),
    });
    // The worker's path has no check of its own before the script's.
    await expect(requeueIds(redis, { stream: s, group: "g", ids })).rejects.toMatchObject({
      code: "REQUEUE_NEEDS_ALL_GROUPS",
      status: 409,
    });
    expect(await snapshot(redis, s, "g")).toEqual(before);
  });

  it("dead-letter into a key of the wrong type fails before any write", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 6 });
    await redis.xdel(s, ids[3]!); // an orphan in the middle of the batch
    const target = key("target");
    await redis.set(target, "not a stream");
    const before = await snapshot(redis, s, "g", [target]);
    // Straight through the script, past the route's own type check: the script must refuse.
    await expect(deadLetterIds(redis, { stream: s, group: "g", ids, target })).rejects.toMatchObject({ status: 409 });
    await expect(deadLetterPending(redis, s, "g", { filter: {}, target })).rejects.toMatchObject({ status: 409 });
    expect(await snapshot(redis, s, "g", [target])).toEqual(before);
    expect(await redis.get(target)).toBe("not a stream");
  });

  it("the script validates its whole batch before it writes (raw call, target turned bad)", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4 });
    const target = key("target");
    await redis.xadd(target, "*", "seed", "1");
    await redis.del(target);
    await redis.hset(target, "a", "1");
    const before = await snapshot(redis, s, "g");
    const err = await moveScript
      .run(redis, [s, target], ["g", "dead-letter", "r", "1", "", 0, 0, ...ids])
      .catch((e: Error) => e);
    expect(String(err)).toMatch(/WRONGTYPE/);
    expect(await snapshot(redis, s, "g")).toEqual(before);
  });

  it("a missing group fails the whole requeue, nothing copied", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 3 });
    const before = await entries(redis, s);
    await expect(requeueIds(redis, { stream: s, group: "nope", ids })).rejects.toMatchObject({ status: 404 });
    expect(await entries(redis, s)).toEqual(before);
  });

  it("redrive skips entries whose origin holds another type, moving the rest", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 2 });
    const dlq = `${s}:dlq`;
    await deadLetterPending(redis, s, "g", { ids });
    const dlqIds = (await entries(redis, dlq)).map((e) => e.id);
    const other = key("other");
    await redis.xadd(dlq, "*", "payload", "x", "streamscope-origin-stream", other);
    await redis.set(other, "string");
    const res = await redrive(redis, dlq, { ids: [...dlqIds, (await entries(redis, dlq))[2]!.id] });
    expect(res).toMatchObject({ redriven: 2, skipped: 1 });
    expect(await redis.get(other)).toBe("string");
    expect(await redis.xlen(dlq)).toBe(1);
  });
});

describe("concurrency: two identical bulk requests at once", () => {
  async function payloadMultiset(stream: string, group: string): Promise<string[]> {
    // Every message a consumer may still see: pending originals + entries not yet delivered.
    const pending = new Set(await pelIds(redis, stream, group));
    const info = (await redis.xinfo("GROUPS", stream)) as unknown[][];
    const g = info
      .map((r) =>
        Object.fromEntries(r.reduce<[unknown, unknown][]>((acc, v, i) => (i % 2 ? acc : [...acc, [v, r[i + 1]]]), [])),
      )
      .find((x) => x.name === group)!;
    const lastDelivered = String(g["last-delivered-id"]);
    const all = await entries(redis, stream);
    const [ldMs, ldSeq] = lastDelivered.split("-").map(BigInt) as [bigint, bigint];
    const after = (id: string) => {
      const [ms, seq] = id.split("-").map(BigInt) as [bigint, bigint];
      return ms > ldMs || (ms === ldMs && seq > ldSeq);
    };
    return all
      .filter((e) => pending.has(e.id) || after(e.id))
      .map((e) => e.fields.payload!)
      .sort();
  }

  it("requeue by filter: each message moved exactly once, none lost", async () => {
    const s = key();
    const total = 2500;
    await seedPending(redis, s, { n: total, deliver: 2000 });
    const before = await payloadMultiset(s, "g");
    expect(before).toHaveLength(total);
    const a = new Redis(process.env.REDIS_URL!);
    const b = new Redis(process.env.REDIS_URL!);
    try {
      const [ra, rb] = await Promise.all([
        requeuePending(a, s, "g", { filter: {} }),
        requeuePending(b, s, "g", { filter: {} }),
      ]);
      const moved = (ra as { requeued: number }).requeued + (rb as { requeued: number }).requeued;
      expect(moved).toBe(2000);
    } finally {
      await a.quit();
      await b.quit();
    }
    expect(await pelIds(redis, s, "g")).toEqual([]);
    expect(await redis.xlen(s)).toBe(total + 2000);
    expect(await payloadMultiset(s, "g")).toEqual(before);
  });

  it("claim and ack by filter: between them each message is touched once", async () => {
    const s = key();
    await seedPending(redis, s, { n: 1500, consumer: "dead" });
    await sleep(60);
    const a = new Redis(process.env.REDIS_URL!);
    const b = new Redis(process.env.REDIS_URL!);
    try {
      const body = { filter: { consumer: "dead" }, consumer: "rescuer", minIdleMs: 50 };
      const [ca, cb] = (await Promise.all([claimPending(a, s, "g", body), claimPending(b, s, "g", body)])) as {
        claimed: number;
      }[];
      expect(ca!.claimed + cb!.claimed).toBe(1500);
      const pel = (await redis.xpending(s, "g")) as [number, string, string, [string, string][]];
      expect(pel[3]).toEqual([["rescuer", "1500"]]);
      const ack = { filter: { consumer: "rescuer", minDeliveries: 1 } };
      const [aa, ab] = (await Promise.all([ackPending(a, s, "g", ack), ackPending(b, s, "g", ack)])) as {
        acked: number;
        skipped: number;
      }[];
      expect(aa!.acked + ab!.acked).toBe(1500);
      expect(await pelIds(redis, s, "g")).toEqual([]);
    } finally {
      await a.quit();
      await b.quit();
    }
  });

  it("dead-letter by ids: each message lands in the DLQ once", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 1200 });
    const a = new Redis(process.env.REDIS_URL!);
    const b = new Redis(process.env.REDIS_URL!);
    try {
      const [ra, rb] = await Promise.all([
        deadLetterIds(a, { stream: s, group: "g", ids }),
        deadLetterIds(b, { stream: s, group: "g", ids: [...ids].reverse() }),
      ]);
      expect(ra.moved + rb.moved).toBe(1200);
      expect(ra.skipped + rb.skipped).toBe(1200);
    } finally {
      await a.quit();
      await b.quit();
    }
    const dlq = await entries(redis, `${s}:dlq`);
    const origins = dlq.map((e) => e.fields["streamscope-origin-id"]);
    expect(new Set(origins).size).toBe(1200);
    expect(origins.slice().sort()).toEqual(ids.slice().sort());
  });

  it("redrive twice at once moves each entry back once", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 600 });
    await deadLetterPending(redis, s, "g", { filter: {} });
    const dlq = `${s}:dlq`;
    const dlqIds = (await entries(redis, dlq)).map((e) => e.id);
    const a = new Redis(process.env.REDIS_URL!);
    try {
      const [ra, rb] = await Promise.all([redrive(a, dlq, { ids: dlqIds }), redrive(redis, dlq, { ids: dlqIds })]);
      expect((ra as { redriven: number }).redriven + (rb as { redriven: number }).redriven).toBe(600);
    } finally {
      await a.quit();
    }
    expect(await redis.xlen(dlq)).toBe(0);
    const back = (await entries(redis, s)).slice(600);
    expect(back.map((e) => e.fields["streamscope-origin-id"]).sort()).toEqual(ids.slice().sort());
    expect(back.every((e) => e.fields["streamscope-deliveries"] === "1")).toBe(true);
    // The redriven copies are new to the group: ack of the originals is complete.
    expect(await ackPending(redis, s, "g", { filter: {}, dryRun: true })).toEqual({ dryRun: true, matched: 0 });
  });
});
