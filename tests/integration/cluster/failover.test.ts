import calculateSlot from "cluster-key-slot";
import Redis from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as streamRoute } from "@/app/api/streams/[key]/route";
import { GET as pendingRoute } from "@/app/api/streams/[key]/groups/[group]/pending/route";
import type { HealthResponse } from "@/lib/contract/common";
import type { PendingPageResponse } from "@/lib/contract/pending";
import type { StreamDetail } from "@/lib/contract/streams";
import { log } from "@/lib/log";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import type { PrivateRedis } from "@/scripts/lib/redis-server";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";

/**
 * A 3-master, 3-replica cluster; the master serving a stream with pending messages is killed
 * (SIGKILL): the stream's requests answer 503 REDIS_UNAVAILABLE (never 500, never a hang) until
 * the cluster promotes its replica, then 200 within 15 s of the promotion, nothing lost.
 */
const NODE_TIMEOUT_MS = 1000;
const ENTRIES = 50;
const READ = 30;

const { cluster } = privateCluster({ replicas: 1, nodeTimeoutMs: NODE_TIMEOUT_MS });
let victim: PrivateRedis;
let replica: PrivateRedis;
let key = "";
/** A stream on the first master, the node REDIS_URL names. */
let seedKey = "";

/** The master serving `slot`, from the slot ranges startRedisCluster gives each master. */
function masterIndexOf(slot: number, masters: number): number {
  return Math.min(masters - 1, Math.floor((slot * masters) / 16384));
}

async function detail(stream = key): Promise<{ status: number; body: StreamDetail & { error?: { code: string } } }> {
  return callRoute(streamRoute as never, "/api/x", { params: { key: stream } });
}

async function pending(
  stream = key,
): Promise<{ status: number; body: PendingPageResponse & { error?: { code: string } } }> {
  return callRoute(pendingRoute as never, "/api/x", { params: { key: stream, group: "g" }, query: { count: 100 } });
}

/** A key served by master `index`, and a stream there with ENTRIES entries, READ of them pending, replicated. */
async function seedOn(index: number, name: string): Promise<string> {
  let stream = "";
  for (let i = 0; !stream; i++) {
    if (masterIndexOf(calculateSlot(`${name}${i}`), 3) === index) stream = `${name}${i}`;
  }
  const direct = new Redis(cluster().masters[index]!.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  try {
    // startRedisCluster returns once the slots are served; the replica's first sync may still run.
    for (let t = Date.now(); !/^slave0:.*state=online/m.test(await direct.info("replication"));) {
      if (Date.now() - t > 20_000) throw new Error("the replica did not sync");
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < ENTRIES; i++) await direct.xadd(stream, "*", "n", String(i));
    await direct.xgroup("CREATE", stream, "g", "0");
    await direct.xreadgroup("GROUP", "g", "c1", "COUNT", READ, "STREAMS", stream, ">");
    // The replica has every write before its master dies.
    expect(await direct.call("WAIT", "1", "10000")).toBe(1);
  } finally {
    direct.disconnect();
  }
  return stream;
}

beforeAll(async () => {
  // The first kill is of the last master: REDIS_URL names the first, which stays up until the second.
  victim = cluster().masters[2]!;
  replica = cluster().replicas[2]!;
  key = await seedOn(2, "failover:s");
  seedKey = await seedOn(0, "failover:seed");
}, 60_000);

async function roleOf(port: number): Promise<string> {
  const c = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  c.on("error", () => undefined);
  try {
    await c.connect();
    return /^role:(\w+)/m.exec(await c.info("replication"))?.[1] ?? "unknown";
  } catch {
    return "down";
  } finally {
    c.disconnect();
  }
}

/** Stream reads (XINFO, XPENDING, XRANGE, XLEN) a node has served. */
async function streamReadsOn(port: number): Promise<number> {
  const c = new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  try {
    const stats = await c.info("commandstats");
    return [...stats.matchAll(/^cmdstat_(xinfo\|\w+|xpending|xrange|xrevrange|xlen):calls=(\d+)/gm)].reduce(
      (n, m) => n + Number(m[2]),
      0,
    );
  } finally {
    c.disconnect();
  }
}

describe("REDIS_READ_FROM=replica on a cluster", () => {
  it("a GET reads the stream from its slot's replica; health lists every replica with its lag", async () => {
    await closeRedis();
    process.env.REDIS_READ_FROM = "replica";
    resetProcessState();
    try {
      const before = await streamReadsOn(replica.port);
      const res = await pending();
      expect(res.status).toBe(200);
      expect(res.body.summary.count).toBe(READ);
      expect(await streamReadsOn(replica.port)).toBeGreaterThan(before);

      const health = await callRoute<HealthResponse>(healthRoute as never, "/api/health");
      if (health.body.status !== "ok") throw new Error("health failed");
      expect(health.body.redis.readFrom).toBe("replica");
      const replicas = health.body.redis.replicas!;
      expect(replicas.map((r) => r.address).sort()).toEqual(
        cluster()
          .replicas.map((r) => `127.0.0.1:${r.port}`)
          .sort(),
      );
      expect(replicas.find((r) => r.address === `127.0.0.1:${replica.port}`)).toMatchObject({
        master: `127.0.0.1:${victim.port}`,
        state: "online",
      });
      expect(replicas.every((r) => r.lagBytes >= 0 && r.lagSeconds >= 0)).toBe(true);
    } finally {
      await closeRedis();
      delete process.env.REDIS_READ_FROM;
      resetProcessState();
    }
  });
});

/**
 * Kills `master` and polls the stream's pending page and detail until both answer 200 after
 * `replica` was promoted: every answer meanwhile is 200 or 503 REDIS_UNAVAILABLE, and service is
 * back within 15 s of the promotion (measured and printed).
 */
async function killAndRecover(master: PrivateRedis, promoted: PrivateRedis, stream: string): Promise<void> {
  expect(await roleOf(promoted.port)).toBe("slave");
  const killedAt = Date.now();
  process.kill(master.pid, "SIGKILL");

  const statuses: number[] = [];
  const codes = new Set<string>();
  // What the routes log for an answer of 500 (the logs are silent in tests): said when one comes.
  const unhandled: unknown[] = [];
  const logError = log.error.bind(log);
  log.error = ((obj: unknown, ...rest: unknown[]) => {
    unhandled.push(obj);
    return (logError as (...args: unknown[]) => void)(obj, ...rest);
  }) as typeof log.error;
  let promotedAt: number | null = null;
  let recoveredAt: number | null = null;
  let slowest = 0;
  try {
    await pollUntilRecovered();
  } finally {
    log.error = logError;
  }
  async function pollUntilRecovered(): Promise<void> {
    while (Date.now() - killedAt < 60_000) {
      if (promotedAt === null && (await roleOf(promoted.port)) === "master") promotedAt = Date.now();
      const t0 = Date.now();
      const [res, row] = await Promise.all([pending(stream), detail(stream)]);
      slowest = Math.max(slowest, Date.now() - t0);
      for (const r of [res, row]) {
        statuses.push(r.status);
        if (r.status !== 200) codes.add(r.body.error?.code ?? "?");
      }
      if (res.status === 200 && row.status === 200 && promotedAt !== null) {
        recoveredAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  console.log(
    `failover of ${master.port}: replica promoted ${promotedAt === null ? "never" : `${promotedAt - killedAt} ms`} after the kill; ` +
      `requests served again ${recoveredAt === null || promotedAt === null ? "never" : `${recoveredAt - promotedAt} ms`} after the promotion ` +
      `(${statuses.filter((s) => s === 503).length} answers 503, slowest request ${slowest} ms)`,
  );
  expect(
    statuses.filter((s) => s !== 200 && s !== 503),
    JSON.stringify(unhandled),
  ).toEqual([]);
  expect(statuses).toContain(503);
  expect([...codes]).toEqual(["REDIS_UNAVAILABLE"]);
  expect(promotedAt).not.toBeNull();
  expect(recoveredAt).not.toBeNull();
  expect(recoveredAt! - promotedAt!).toBeLessThan(15_000);
  // A request is bounded by the cluster client's retry budget and the command timeout: it never hangs.
  expect(slowest).toBeLessThan(12_000);
}

describe("a master killed under a stream with pending messages", () => {
  it("answers 503 (never 500) while its slot has no master, 200 within 15 s of the promotion, nothing lost", async () => {
    const first = await pending();
    expect(first.status).toBe(200);
    expect(first.body.summary.count).toBe(READ);
    const pendingBefore = first.body.entries.map((e) => e.id);
    expect((await detail()).body.pending).toBe(READ);

    await killAndRecover(victim, replica, key);

    const after = await pending();
    expect(after.status).toBe(200);
    expect(after.body.summary.count).toBe(READ);
    expect(after.body.entries.map((e) => e.id)).toEqual(pendingBefore);
    const row = await detail();
    expect([row.body.length, row.body.pending]).toEqual([ENTRIES, READ]);

    const health = await callRoute<HealthResponse>(healthRoute as never, "/api/health");
    expect(health.status).toBe(200);
    if (health.body.status !== "ok") throw new Error("health failed");
    expect(health.body.redis.mode).toBe("cluster");
    const nodes = health.body.redis.nodes!;
    expect(nodes.find((n) => n.address === `127.0.0.1:${replica.port}`)).toMatchObject({ role: "master" });
    expect(nodes.find((n) => n.address === `127.0.0.1:${victim.port}`)?.reachable).toBe(false);
  }, 90_000);

  it("the node REDIS_URL names killed too: the same, without a restart", async () => {
    const first = await pending(seedKey);
    expect(first.status).toBe(200);
    const pendingBefore = first.body.entries.map((e) => e.id);
    await killAndRecover(cluster().masters[0]!, cluster().replicas[0]!, seedKey);
    const after = await pending(seedKey);
    expect(after.body.entries.map((e) => e.id)).toEqual(pendingBefore);
    expect((await pending()).body.summary.count).toBe(READ);
    const health = await callRoute<HealthResponse>(healthRoute as never, "/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", redis: { mode: "cluster" } });
  }, 90_000);
});
