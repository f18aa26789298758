import { afterAll, describe, expect, it } from "vitest";
import { GET as deliveriesGET } from "@/app/api/streams/[key]/groups/[group]/deliveries/route";
import type { DeliveriesResponse } from "@/lib/contract/deliveries";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { expectNoSlowCommands } from "../helpers/slowlog";

const redis = testRedis();
const prefix = uniquePrefix("deliv");
type Handler = Parameters<typeof callRoute>[0];

async function radar(stream: string, group: string, over?: number) {
  return callRoute<DeliveriesResponse>(deliveriesGET as Handler, "/x", {
    params: { key: stream, group },
    query: over === undefined ? {} : { over },
  });
}

/** `count` entries read by consumer `c` in group `g`; returns their ids. */
async function pendingStream(stream: string, count: number): Promise<string[]> {
  const pipe = redis.pipeline();
  for (let i = 1; i <= count; i++) pipe.xadd(stream, `${i}-0`, "order", `o-${i}`);
  await pipe.exec();
  await redis.xgroup("CREATE", stream, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", count, "STREAMS", stream, ">");
  return Array.from({ length: count }, (_, i) => `${i + 1}-0`);
}

const setDeliveries = (stream: string, id: string, n: number, consumer = "c") =>
  redis.xclaim(stream, "g", consumer, 0, id, "RETRYCOUNT", n);

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("poison radar", () => {
  it("counts every delivery exactly on a small PEL and lists the most delivered with their fields", async () => {
    const s = `${prefix}small`;
    await pendingStream(s, 30);
    await setDeliveries(s, "7-0", 836, "stuck-worker");
    await setDeliveries(s, "9-0", 810, "stuck-worker");
    await setDeliveries(s, "3-0", 12);
    await setDeliveries(s, "4-0", 4);
    const { status, body } = await radar(s, "g");
    expect(status).toBe(200);
    expect(body).toMatchObject({ exact: true, total: 30, sampled: 30, maxDeliveries: 836, over: 10, overCount: 3 });
    const byLabel = Object.fromEntries(body.buckets.map((b) => [b.label, b.count]));
    expect(byLabel).toMatchObject({ "1": 26, "3-5": 1, "11-20": 1, "over 100": 2 });
    expect(body.buckets.reduce((n, b) => n + b.count, 0)).toBe(30);
    expect(body.top.slice(0, 3).map((m) => [m.id, m.deliveries, m.consumer])).toEqual([
      ["7-0", 836, "stuck-worker"],
      ["9-0", 810, "stuck-worker"],
      ["3-0", 12, "c"],
    ]);
    expect(body.top[0]!.fields).toEqual([["order", "o-7"]]);
    expect(body.top.length).toBe(10);
    expect((await radar(s, "g", 500)).body.overCount).toBe(2);
  });

  it("marks an orphaned id and answers 404 for a missing group, 400 for a junk threshold", async () => {
    const s = `${prefix}orphan`;
    await pendingStream(s, 3);
    await setDeliveries(s, "2-0", 20);
    await redis.xdel(s, "2-0");
    const { body } = await radar(s, "g");
    expect(body.top[0]).toMatchObject({ id: "2-0", deleted: true, fields: null });
    expect((await radar(s, "nope")).status).toBe(404);
    expect((await radar(s, "g", 0)).status).toBe(400);
  });

  it("samples a PEL over 10,000 entries, scales the counts, and stays under the slow log's 10 ms", async () => {
    const s = `${prefix}big`;
    const ids = await pendingStream(s, 25_000);
    for (const id of ids.filter((_, i) => i % 1000 === 0)) await setDeliveries(s, id, 50);
    let body!: DeliveriesResponse;
    await expectNoSlowCommands(
      redis,
      async () => (body = (await radar(s, "g")).body),
      ([, , , cmd]) => cmd[0]?.toUpperCase() === "XPENDING",
    );
    expect(body.exact).toBe(false);
    expect(body.total).toBe(25_000);
    expect(body.sampled).toBeLessThanOrEqual(10_000);
    expect(body.buckets.reduce((n, b) => n + b.count, 0)).toBe(25_000);
    expect(body.maxDeliveries).toBe(50);
    expect(body.top[0]!.deliveries).toBe(50);
  }, 60_000);
});
