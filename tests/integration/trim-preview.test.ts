import { afterAll, describe, expect, it } from "vitest";
import { GET as previewGET } from "@/app/api/streams/[key]/trim-preview/route";
import { POST as trimPOST } from "@/app/api/streams/[key]/trim/route";
import type { TrimPreviewResponse, TrimResponse } from "@/lib/contract/trim";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("trimprev");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
const key = () => `${prefix}s${++n}`;
type Handler = Parameters<typeof callRoute>[0];

async function preview(stream: string) {
  return callRoute<TrimPreviewResponse>(previewGET as Handler, "/x", { params: { key: stream } });
}

/** `count` entries with ids 1-0 .. count-0. */
async function seed(stream: string, count: number) {
  const pipe = redis.pipeline();
  for (let i = 1; i <= count; i++) pipe.xadd(stream, `${i}-0`, "n", String(i));
  await pipe.exec();
}

async function readAs(stream: string, group: string, consumer: string, count: number) {
  return (await redis.xreadgroup("GROUP", group, consumer, "COUNT", count, "STREAMS", stream, ">")) as
    [string, [string, string[]][]][] | null;
}

describe("trim preview", () => {
  it("a stream whose slowest group is at 0-0 keeps everything: that group has read nothing", async () => {
    const s = key();
    await seed(s, 50);
    await redis.xgroup("CREATE", s, "fast", "$");
    await redis.xgroup("CREATE", s, "slow", "0");
    const { status, body } = await preview(s);
    expect(status).toBe(200);
    expect(body).toMatchObject({ length: 50, trimmable: 0, exact: true, minKeptId: "0-1", groupCount: 2 });
    expect(body.blocker).toMatchObject({ group: "slow", reason: "unread", id: "0-0", lag: 50 });
    expect(body.groups.map((g) => g.group)).toEqual(["slow", "fast"]);
  });

  it("names the oldest pending message, its consumer and how long it is held", async () => {
    const s = key();
    await seed(s, 100);
    await redis.xgroup("CREATE", s, "g", "0");
    await readAs(s, "g", "alice", 40);
    const ids = Array.from({ length: 40 }, (_, i) => `${i + 1}-0`);
    await redis.xack(s, "g", ...ids.filter((id) => id !== "10-0"));
    const { body } = await preview(s);
    expect(body.blocker).toMatchObject({ group: "g", reason: "pending", id: "10-0", consumer: "alice", pending: 1 });
    expect(body.blocker!.idleMs).toBeGreaterThanOrEqual(0);
    expect(body.minKeptId).toBe("10-0");
    expect(body.exact).toBe(false);
    expect(body.trimmable).toBeGreaterThanOrEqual(0);
    expect(body.trimmable).toBeLessThanOrEqual(40);
  });

  it("counts exactly what every group has read and acked, and the trim removes no more", async () => {
    const s = key();
    await seed(s, 3000);
    await redis.xgroup("CREATE", s, "a", "0");
    await redis.xgroup("CREATE", s, "b", "0");
    for (const g of ["a", "b"]) {
      const read = await readAs(s, g, "c", g === "a" ? 2500 : 1200);
      await redis.xack(s, g, ...read![0]![1].map(([id]) => id));
    }
    const { body } = await preview(s);
    expect(body).toMatchObject({ trimmable: 1200, exact: true, minKeptId: "1200-1" });
    expect(body.blocker).toMatchObject({ group: "b", reason: "unread", id: "1200-0", lag: 1800 });
    expect(body.memoryBytes).toBeGreaterThan(0);
    expect(body.freedBytesEstimate).toBeGreaterThan(0);
    expect(body.freedBytesEstimate).toBeLessThan(body.memoryBytes!);

    const trimmed = await callRoute<TrimResponse>(trimPOST as Handler, "/x", { params: { key: s }, body: {} });
    expect(trimmed.status).toBe(200);
    expect(trimmed.body.threshold).toBe("1200-1");
    expect(trimmed.body.removed).toBeGreaterThan(0);
    expect(trimmed.body.removed).toBeLessThanOrEqual(1200);
    const first = await redis.xrange(s, "-", "+", "COUNT", 1);
    expect(Number(first[0]![0].split("-")[0])).toBeLessThanOrEqual(1201);
    expect(await redis.xlen(s)).toBe(3000 - trimmed.body.removed);
  });

  it("a stream every group has acked whole can go; a stream without groups keeps everything", async () => {
    const done = key();
    await seed(done, 20);
    await redis.xgroup("CREATE", done, "g", "$");
    expect((await preview(done)).body).toMatchObject({ trimmable: 20, exact: true, blocker: null });

    const lonely = key();
    await seed(lonely, 5);
    expect((await preview(lonely)).body).toMatchObject({ trimmable: 0, groupCount: 0, blocker: null, minKeptId: null });
  });

  it("an empty stream with a group at $ has nothing to trim", async () => {
    const s = key();
    await redis.xgroup("CREATE", s, "g", "$", "MKSTREAM");
    expect((await preview(s)).body).toMatchObject({ length: 0, trimmable: 0, exact: true, blocker: null });
  });

  it("answers 404 for a missing key and 409 for a key of another type, and the trim touches neither", async () => {
    expect((await preview(`${prefix}missing`)).status).toBe(404);
    await redis.set(`${prefix}str`, "x");
    expect((await preview(`${prefix}str`)).status).toBe(409);
    const res = await callRoute(trimPOST as Handler, "/x", { params: { key: `${prefix}str` }, body: {} });
    expect(res.status).toBe(409);
    expect(await redis.get(`${prefix}str`)).toBe("x");
    const junk = await callRoute(trimPOST as Handler, "/x", { params: { key: `${prefix}str` }, body: { all: true } });
    expect(junk.status).toBe(400);
  });
});
