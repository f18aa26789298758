import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as streamRoute } from "@/app/api/streams/[key]/route";
import { GET as pendingRoute } from "@/app/api/streams/[key]/groups/[group]/pending/route";
import { POST as ackRoute } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import type { HealthResponse } from "@/lib/contract/common";
import type { PendingPageResponse } from "@/lib/contract/pending";
import type { StreamDetail } from "@/lib/contract/streams";
import { getEnv, parseSentinelUrl } from "@/lib/env";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { startRedisSentinel, type PrivateSentinelDeployment } from "@/scripts/lib/redis-sentinel";
import { callRoute } from "../helpers/route";

/**
 * One master, one replica and three sentinels: REDIS_URL=redis+sentinel://... finds the master
 * through the sentinels, health says so, REDIS_READ_FROM=replica reads from the replica and writes
 * to the master, and a killed master answers 503 (never 500) until the sentinels switch to the
 * replica, then 200 within 15 s of the switch without a restart, nothing lost.
 */
const ENTRIES = 40;
const READ = 25;
const key = "sentinel:orders";
const other = "sentinel:other";

let deployment: PrivateSentinelDeployment;
const saved = { REDIS_URL: process.env.REDIS_URL, REDIS_READ_FROM: process.env.REDIS_READ_FROM };

async function setEnv(env: Record<string, string | undefined>): Promise<void> {
  await closeRedis();
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetProcessState();
}

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } } };

function detail(): Promise<Answer<StreamDetail>> {
  return callRoute(streamRoute as never, `/api/streams/${encodeURIComponent(key)}`, { params: { key } });
}

function pending(stream = key): Promise<Answer<PendingPageResponse>> {
  return callRoute(pendingRoute as never, "/api/x", { params: { key: stream, group: "g" }, query: { count: 100 } });
}

async function health(): Promise<HealthResponse & { status: "ok" }> {
  const res = await callRoute<HealthResponse>(healthRoute as never, "/api/health");
  expect(res.body).toMatchObject({ status: "ok" });
  expect(res.status).toBe(200);
  return res.body as HealthResponse & { status: "ok" };
}

async function masterNamedBy(port: number, name: string): Promise<string | null> {
  const c = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  c.on("error", () => undefined);
  try {
    await c.connect();
    const reply = (await c.call("SENTINEL", "get-master-addr-by-name", name)) as string[] | null;
    return reply ? `${reply[0]}:${reply[1]}` : null;
  } catch {
    return null;
  } finally {
    c.disconnect();
  }
}

async function clientNames(port: number): Promise<string[]> {
  const c = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  try {
    const list = String(await c.client("LIST"));
    return [...list.matchAll(/ name=(\S*)/g)].map((m) => m[1]!).filter(Boolean);
  } finally {
    c.disconnect();
  }
}

beforeAll(async () => {
  deployment = await startRedisSentinel({ replicas: 1, sentinels: 3, downAfterMs: 1000, failoverTimeoutMs: 5000 });
  const direct = new Redis(deployment.master.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  try {
    for (const stream of [key, other]) {
      for (let i = 0; i < ENTRIES; i++) await direct.xadd(stream, "*", "n", String(i));
      await direct.xgroup("CREATE", stream, "g", "0");
      await direct.xreadgroup("GROUP", "g", "c1", "COUNT", READ, "STREAMS", stream, ">");
    }
    expect(await direct.call("WAIT", "1", "5000")).toBe(1);
  } finally {
    direct.disconnect();
  }
  await setEnv({ REDIS_URL: deployment.url, REDIS_READ_FROM: undefined });
}, 60_000);

afterAll(async () => {
  await setEnv(saved);
  await deployment?.stop();
});

describe("the redis+sentinel:// form", () => {
  it("parses sentinels, master name, data user and password; refuses what it cannot use", () => {
    expect(
      parseSentinelUrl("redis+sentinel://app:s%40cret@10.0.0.1:26379,[::1]:26380,sentinel.internal/main/2"),
    ).toEqual({
      sentinels: [
        { host: "10.0.0.1", port: 26379 },
        { host: "::1", port: 26380 },
        { host: "sentinel.internal", port: 26379 },
      ],
      name: "main",
      username: "app",
      password: "s@cret",
      db: 2,
      tls: false,
    });
    expect(parseSentinelUrl("rediss+sentinel://:pw@h:1/m")).toMatchObject({
      username: undefined,
      password: "pw",
      tls: true,
    });
    expect(parseSentinelUrl("redis://h:6379")).toBeNull();
    expect(parseSentinelUrl("redis+sentinel://h:26379")).toMatch(/must look like/);
    expect(parseSentinelUrl("redis+sentinel://h:99999/m")).toMatch(/not a sentinel host:port/);
  });

  it("refuses sentinel variables without a redis+sentinel:// URL", async () => {
    await setEnv({ REDIS_URL: "redis://127.0.0.1:6379", REDIS_SENTINEL_PASSWORD: "x" });
    expect(() => getEnv()).toThrow(/REDIS_SENTINEL_PASSWORD: only with a redis\+sentinel:\/\/ REDIS_URL/);
    await setEnv({ REDIS_URL: "redis+sentinel://h:1", REDIS_SENTINEL_PASSWORD: undefined });
    expect(() => getEnv()).toThrow(/REDIS_URL: must look like redis\+sentinel:\/\//);
    await setEnv({ REDIS_URL: deployment.url });
  });
});

describe("a Sentinel deployment", () => {
  it("health says sentinel, the master the sentinels name, every sentinel and the replica's lag", async () => {
    const body = await health();
    expect(body.redis.mode).toBe("sentinel");
    expect(body.redis.readFrom).toBe("master");
    expect(body.redis.sentinel).toEqual({
      name: "mymaster",
      master: `127.0.0.1:${deployment.master.port}`,
      sentinels: deployment.sentinels.map((s) => ({ address: `127.0.0.1:${s.port}`, reachable: true })),
    });
    expect(body.redis.replicas).toEqual([
      {
        address: `127.0.0.1:${deployment.replicas[0]!.port}`,
        master: `127.0.0.1:${deployment.master.port}`,
        state: "online",
        lagBytes: expect.any(Number),
        lagSeconds: expect.any(Number),
      },
    ]);
    const res = await pending();
    expect(res.status).toBe(200);
    expect(res.body.summary.count).toBe(READ);
  });

  it("REDIS_READ_FROM=replica: a GET reads from the replica, an action writes to the master", async () => {
    await setEnv({ REDIS_URL: deployment.url, REDIS_READ_FROM: "replica" });
    try {
      const res = await pending(other);
      expect(res.status).toBe(200);
      expect(res.body.summary.count).toBe(READ);
      expect(await clientNames(deployment.replicas[0]!.port)).toContain("streamscope-replica");
      expect(await clientNames(deployment.master.port)).not.toContain("streamscope-replica");
      expect((await health()).redis.readFrom).toBe("replica");

      const id = res.body.entries[0]!.id;
      const acked = await callRoute<{ error?: unknown }>(ackRoute as never, "/api/x", {
        params: { key: other, group: "g" },
        body: { ids: [id] },
      });
      expect(acked.status).toBe(200);
      const direct = new Redis(deployment.master.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
      try {
        expect(((await direct.xpending(other, "g")) as [number])[0]).toBe(READ - 1);
      } finally {
        direct.disconnect();
      }
    } finally {
      await setEnv({ REDIS_URL: deployment.url, REDIS_READ_FROM: undefined });
    }
  });

  it("a killed master: 503 (never 500) until the sentinels switch, 200 within 15 s of the switch, nothing lost", async () => {
    const first = await pending();
    expect(first.status).toBe(200);
    const before = first.body.entries.map((e) => e.id);
    const replica = `127.0.0.1:${deployment.replicas[0]!.port}`;
    const sentinelPort = deployment.sentinels[0]!.port;

    const killedAt = Date.now();
    process.kill(deployment.master.pid, "SIGKILL");

    const statuses: number[] = [];
    const codes = new Set<string>();
    let switchedAt: number | null = null;
    let recoveredAt: number | null = null;
    let slowest = 0;
    while (Date.now() - killedAt < 60_000) {
      if (switchedAt === null && (await masterNamedBy(sentinelPort, "mymaster")) === replica) switchedAt = Date.now();
      const t0 = Date.now();
      const [res, row] = await Promise.all([pending(), detail()]);
      slowest = Math.max(slowest, Date.now() - t0);
      for (const r of [res, row]) {
        statuses.push(r.status);
        if (r.status !== 200) codes.add(r.body.error?.code ?? "?");
      }
      if (res.status === 200 && row.status === 200 && switchedAt !== null) {
        recoveredAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(
      `sentinel failover: switch ${switchedAt === null ? "never" : `${switchedAt - killedAt} ms`} after the kill; ` +
        `requests served again ${recoveredAt === null || switchedAt === null ? "never" : `${recoveredAt - switchedAt} ms`} after the switch ` +
        `(${statuses.filter((s) => s === 503).length} answers 503, slowest request ${slowest} ms)`,
    );
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    expect([...codes]).toEqual(["REDIS_UNAVAILABLE"]);
    expect(switchedAt).not.toBeNull();
    expect(recoveredAt).not.toBeNull();
    expect(recoveredAt! - switchedAt!).toBeLessThan(15_000);
    expect(slowest).toBeLessThan(12_000);

    const after = await pending();
    expect(after.status).toBe(200);
    expect(after.body.entries.map((e) => e.id)).toEqual(before);
    expect((await detail()).body).toMatchObject({ length: ENTRIES, pending: READ });
    const body = await health();
    expect(body.redis.mode).toBe("sentinel");
    expect(body.redis.sentinel?.master).toBe(replica);
  }, 90_000);
});
