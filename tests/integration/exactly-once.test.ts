/**
 * Exactly-once effects and exact counts across dropped connections: the app talks to Redis
 * through a fault-injecting proxy that lets Redis run a write and then loses its reply (or cuts
 * it in half). Every answer must equal the state in Redis: no entry written twice, no message
 * lost, no count off by the batches whose replies were lost.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { POST as publishPOST } from "@/app/api/streams/[key]/messages/route";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { POST as claimPOST } from "@/app/api/streams/[key]/groups/[group]/claim/route";
import { POST as requeuePOST } from "@/app/api/streams/[key]/groups/[group]/requeue/route";
import { POST as deadLetterPOST } from "@/app/api/streams/[key]/groups/[group]/dead-letter/route";
import { POST as deletePOST } from "@/app/api/streams/[key]/groups/[group]/delete/route";
import { POST as redrivePOST } from "@/app/api/streams/[key]/redrive/route";
import { ackScript, claimScript, moveScript, publishScript, redriveScript } from "@/lib/actions/scripts";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis, getWriteRedis } from "@/lib/redis/client";
import { tick } from "@/lib/worker";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { pelIds, seedPending, sleep } from "../helpers/pending";
import { command, script, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { settingsFrom } from "../helpers/worker";

const redis = testRedis();
const prefix = uniquePrefix("once");
let proxy: FaultProxy;
let n = 0;
const key = (name = "s") => `${prefix}${name}${++n}`;

type Handler = Parameters<typeof callRoute>[0];
const post = <T = Record<string, unknown>>(
  handler: unknown,
  params: Record<string, string>,
  body: unknown,
  headers?: Record<string, string>,
) => callRoute<T>(handler as Handler, "/api/x", { params, body, headers });

beforeAll(async () => {
  proxy = await startFaultProxy({ port: inject("redisPort") });
  process.env.REDIS_URL = proxy.url;
  process.env.STREAMSCOPE_PREFIX = `${prefix}app:`;
  resetProcessState();
  await closeRedis();
});

beforeEach(() => {
  proxy.latencyMs = 0;
});

afterAll(async () => {
  await closeRedis();
  await proxy.close();
  await cleanPrefix(redis, prefix);
});

/** Origin ids of the copies in a stream (requeue / dead-letter metadata). */
async function originIds(stream: string): Promise<string[]> {
  const out: string[] = [];
  let start = "-";
  for (;;) {
    const page = await redis.xrange(stream, start, "+", "COUNT", 1000);
    for (const [, fields] of page) {
      const i = fields.indexOf("streamscope-origin-id");
      if (i >= 0) out.push(fields[i + 1]!);
    }
    const last = page[page.length - 1];
    if (!last || page.length < 1000) return out;
    start = `(${last[0]}`;
  }
}

async function pendingCount(stream: string, group = "g"): Promise<number> {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

describe("publish", () => {
  it("a publish whose reply is lost adds one entry and answers its id", async () => {
    const s = key();
    await redis.xadd(s, "*", "seed", "1");
    proxy.dropAfterReply(script(publishScript.sha));
    const res = await post<{ id: string; replayed: boolean }>(publishPOST, { key: s }, { fields: [["a", "1"]] });
    expect(proxy.pendingFaults()).toBe(0);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await redis.xlen(s)).toBe(2);
    const last = await redis.xrevrange(s, "+", "-", "COUNT", 1);
    expect(res.body).toEqual({ id: last[0]![0], replayed: false });
  });

  it("a reply cut in half: still one entry", async () => {
    const s = key();
    await redis.xadd(s, "*", "seed", "1");
    proxy.cutMidReply(script(publishScript.sha));
    const res = await post<{ id: string }>(
      publishPOST,
      { key: s },
      { fields: [["a", "1"]] },
      { "idempotency-key": "cut-1" },
    );
    expect(res.status).toBe(201);
    expect(await redis.xlen(s)).toBe(2);
  });

  it("a retried publish with the same Idempotency-Key adds one entry; another body with that key is refused", async () => {
    const s = key();
    await redis.xadd(s, "*", "seed", "1");
    const headers = { "idempotency-key": "7d5c0a2e-retry" };
    const first = await post<{ id: string; replayed: boolean }>(
      publishPOST,
      { key: s },
      { fields: [["a", "1"]] },
      headers,
    );
    const again = await post<{ id: string; replayed: boolean }>(
      publishPOST,
      { key: s },
      { fields: [["a", "1"]] },
      headers,
    );
    expect(first.status).toBe(201);
    expect(again.body).toEqual({ id: first.body.id, replayed: true });
    expect(await redis.xlen(s)).toBe(2);
    const other = await post<{ error: { code: string } }>(publishPOST, { key: s }, { fields: [["a", "2"]] }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("CONFLICT");
    // The same key on another stream is another publish.
    const s2 = key();
    await redis.xadd(s2, "*", "seed", "1");
    expect((await post(publishPOST, { key: s2 }, { fields: [["a", "1"]] }, headers)).status).toBe(201);
    expect(await redis.xlen(s2)).toBe(2);
    expect(await redis.xlen(s)).toBe(2);
  });

  it("a malformed Idempotency-Key is a 400 and adds nothing", async () => {
    const s = key();
    await redis.xadd(s, "*", "seed", "1");
    const res = await post<{ error: { code: string } }>(
      publishPOST,
      { key: s },
      { fields: [["a", "1"]] },
      { "idempotency-key": "has space" },
    );
    expect(res.status).toBe(400);
    expect(await redis.xlen(s)).toBe(1);
  });

  it("many publishes while replies are lost: one entry per answered publish", async () => {
    const s = key();
    await redis.xadd(s, "*", "seed", "1");
    proxy.dropAfterReply(script(publishScript.sha), { skip: 2, times: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await post<{ id: string }>(publishPOST, { key: s }, { fields: [["i", String(i)]] });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect(proxy.pendingFaults()).toBe(0);
    const entries = await redis.xrange(s, "-", "+");
    expect(entries.slice(1).map(([id]) => id)).toEqual(ids);
    expect(entries.slice(1).map(([, f]) => f[1])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });
});

describe("actions", () => {
  it("ack by filter: the count equals what left the PEL", async () => {
    const s = key();
    await seedPending(redis, s, { n: 1200 });
    proxy.dropAfterReply(script(ackScript.sha), { skip: 1 });
    proxy.cutMidReply(script(ackScript.sha), { skip: 4 });
    const res = await post<{ acked: number; skipped: number }>(ackPOST, { key: s, group: "g" }, { filter: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(proxy.pendingFaults()).toBe(0);
    expect(res.body).toEqual({ acked: 1200, skipped: 0 });
    expect(await pendingCount(s)).toBe(0);
  });

  it("claim by ids: every id reported once, and where the items say", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 300 });
    // Idle for ten minutes: a claim re-sent after the first one ran would find them idle 0.
    await redis.call("XCLAIM", s, "g", "c1", 0, ...ids, "IDLE", 600_000, "JUSTID");
    proxy.dropAfterReply(script(claimScript.sha), { skip: 1 });
    const res = await post<{ claimed: number; items: { id: string; outcome: string }[] }>(
      claimPOST,
      { key: s, group: "g" },
      { ids, consumer: "c2", minIdleMs: 60_000 },
    );
    expect(res.status).toBe(200);
    expect(res.body.claimed).toBe(300);
    expect(res.body.items.every((i) => i.outcome === "ok")).toBe(true);
    const rows = (await redis.xpending(s, "g", "-", "+", 1000)) as [string, string, number, number][];
    expect(rows.filter((r) => r[1] === "c2").length).toBe(300);
  });

  it("requeue by filter: each message copied once, counts exact (with latency)", async () => {
    const s = key();
    await seedPending(redis, s, { n: 500 });
    proxy.latencyMs = 5;
    proxy.dropAfterReply(script(moveScript.sha), { skip: 2 });
    proxy.cutMidReply(script(moveScript.sha), { skip: 6 });
    proxy.dropAfterReply(command("XPENDING"), { skip: 0 });
    const res = await post<{ requeued: number; skipped: number }>(requeuePOST, { key: s, group: "g" }, { filter: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(proxy.pendingFaults()).toBe(0);
    expect(res.body).toEqual({ requeued: 500, skipped: 0 });
    const origins = await originIds(s);
    expect(origins.length).toBe(500);
    expect(new Set(origins).size).toBe(500);
    expect(await redis.xlen(s)).toBe(1000);
    expect(await pendingCount(s)).toBe(0);
  });

  it("dead-letter by ids: each message lands in the target once", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 200 });
    proxy.dropAfterReply(script(moveScript.sha), { skip: 3, times: 2 });
    const res = await post<{ moved: number; skipped: number; items: { to?: string }[] }>(
      deadLetterPOST,
      { key: s, group: "g" },
      { ids },
    );
    expect(res.status).toBe(200);
    expect(proxy.pendingFaults()).toBe(0);
    expect(res.body.moved).toBe(200);
    const origins = await originIds(`${s}:dlq`);
    expect(origins.sort()).toEqual([...ids].sort());
    // Every item names the copy that exists.
    const copies = new Set((await redis.xrange(`${s}:dlq`, "-", "+")).map(([id]) => id));
    expect(res.body.items.every((i) => i.to !== undefined && copies.has(i.to))).toBe(true);
    expect(await pendingCount(s)).toBe(0);
  });

  it("delete by ids: the count equals the entries gone", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 300 });
    proxy.cutMidReply(script(ackScript.sha), { skip: 1 });
    const res = await post<{ deleted: number; skipped: number }>(
      deletePOST,
      { key: s, group: "g" },
      { ids: ids.slice(0, 250) },
    );
    expect(res.status).toBe(200);
    expect(proxy.pendingFaults()).toBe(0);
    expect(res.body).toMatchObject({ deleted: 250, skipped: 0 });
    expect(await redis.xlen(s)).toBe(50);
    expect(await pelIds(redis, s, "g")).toEqual(ids.slice(250));
  });

  it("redrive: each dead-lettered entry goes back once", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 40 });
    await post(deadLetterPOST, { key: s, group: "g" }, { ids });
    const dlqIds = (await redis.xrange(`${s}:dlq`, "-", "+")).map(([id]) => id);
    proxy.dropAfterReply(script(redriveScript.sha));
    const res = await post<{ redriven: number; skipped: number }>(redrivePOST, { key: `${s}:dlq` }, { ids: dlqIds });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ redriven: 40, skipped: 0 });
    expect(await redis.xlen(`${s}:dlq`)).toBe(0);
    expect(await redis.xlen(s)).toBe(80);
  });
});

describe("worker", () => {
  it("a tick's requeue reclaims each stuck message once while its replies are lost", async () => {
    const p = `${prefix}w${++n}:`;
    const s = `${p}s`;
    await seedPending(redis, s, { n: 120, consumer: "crashed" });
    await sleep(150);
    proxy.dropAfterReply(script(moveScript.sha), { skip: 1, times: 2 });
    const result = await tick({
      redis: getWriteRedis(),
      forced: true,
      keyMatch: `${p}*`,
      settings: settingsFrom({ groups: [{ stream: `${p}*`, stuckAfterMs: 100, policy: "requeue" }] }),
    });
    const reclaim = result.jobs.find((j) => j.name === "reclaim");
    expect(reclaim?.error).toBeUndefined();
    expect(proxy.pendingFaults()).toBe(0);
    expect(reclaim?.counts.requeued).toBe(120);
    const origins = await originIds(s);
    expect(new Set(origins).size).toBe(120);
    expect(origins.length).toBe(120);
    expect(await pendingCount(s)).toBe(0);
  });
});
