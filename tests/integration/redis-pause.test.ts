/**
 * Redis paused (SIGSTOP of a private redis-server) for longer than the command timeout in the
 * middle of a bulk ack by filter: the action answers 503 REDIS_UNAVAILABLE within the timeout's
 * bounds, no promise rejection goes unhandled, and after SIGCONT the counts add up.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import Redis from "ioredis";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { GET as streamGET } from "@/app/api/streams/[key]/route";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis, getConnection } from "@/lib/redis/client";
import { startRedisServer, type PrivateRedis } from "../../scripts/lib/redis-server";
import { callRoute } from "../helpers/route";
import { seedPending } from "../helpers/pending";
import { command, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";

const TIMEOUT_MS = 1000;
let server: PrivateRedis;
let proxy: FaultProxy;
let redis: Redis;
const saved = { url: process.env.REDIS_URL, timeout: process.env.REDIS_COMMAND_TIMEOUT_MS };

beforeAll(async () => {
  server = await startRedisServer();
  proxy = await startFaultProxy({ port: server.port });
  redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  process.env.REDIS_URL = proxy.url;
  process.env.REDIS_COMMAND_TIMEOUT_MS = String(TIMEOUT_MS);
  resetProcessState();
  await closeRedis();
});

afterAll(async () => {
  await closeRedis();
  process.env.REDIS_URL = saved.url;
  if (saved.timeout === undefined) delete process.env.REDIS_COMMAND_TIMEOUT_MS;
  else process.env.REDIS_COMMAND_TIMEOUT_MS = saved.timeout;
  resetProcessState();
  redis.disconnect();
  await proxy.close();
  await server.stop();
});

const pendingCount = async (s: string) => Number(((await redis.xpending(s, "g")) as [number])[0]);
type Res = { acked?: number; skipped?: number; error?: { code: string } };

it("a pause longer than the command timeout during an ack by filter: 503, no unhandled rejection, counts add up", async () => {
  const s = "paused";
  await seedPending(redis, s, { n: 3000 });
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  let stoppedAt = 0;
  // Stop Redis the moment the second PEL page is asked for: that read is in flight, unanswered,
  // while the first page's ack batches are sent behind it.
  proxy.onCommand(
    (args) => command("XPENDING")(args) && (args[3] ?? "").startsWith("("),
    () => {
      process.kill(server.pid, "SIGSTOP");
      stoppedAt = Date.now();
    },
  );
  let resumed = false;
  const started = Date.now();
  try {
    const res = await callRoute<Res>(ackPOST as Parameters<typeof callRoute>[0], "/api/x", {
      params: { key: s, group: "g" },
      body: { filter: {} },
    });
    const elapsed = Date.now() - started;
    expect(stoppedAt).toBeGreaterThan(0);
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.error?.code).toBe("REDIS_UNAVAILABLE");
    // The action's own commands give up at the command timeout; the audit entry of the refused
    // request waits for its own write (one more timeout) before the answer goes out.
    expect(elapsed).toBeLessThan(2 * TIMEOUT_MS + 1500);
    // Stay paused past every timer of the action, so a late rejection would show.
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 2 * TIMEOUT_MS + 200 - Date.now())));
    process.kill(server.pid, "SIGCONT");
    resumed = true;
    await new Promise((r) => setTimeout(r, 200));
    expect(unhandled).toEqual([]);

    // Whatever the paused batches did once Redis ran them again, the next ack finds the rest.
    const left = await pendingCount(s);
    expect(left).toBeGreaterThan(0);
    const again = await callRoute<Res>(ackPOST as Parameters<typeof callRoute>[0], "/api/x", {
      params: { key: s, group: "g" },
      body: { filter: {} },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ acked: left, skipped: 0 });
    expect(await pendingCount(s)).toBe(0);
  } finally {
    if (!resumed) process.kill(server.pid, "SIGCONT");
    process.off("unhandledRejection", listener);
  }
}, 30_000);

it("a pause during a stream page's pipelined read (one timer for the pipeline): 503 within the command timeout, the option kept", async () => {
  const s = "paused-read";
  await seedPending(redis, s, { n: 10 });
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  let stoppedAt = 0;
  proxy.onCommand(
    (args) => command("XINFO")(args) && args[2] === s,
    () => {
      if (stoppedAt > 0) return;
      process.kill(server.pid, "SIGSTOP");
      stoppedAt = Date.now();
    },
  );
  let resumed = false;
  try {
    const res = await callRoute<{ error?: { code: string } }>(streamGET as Parameters<typeof callRoute>[0], "/api/x", {
      params: { key: s },
    });
    const waited = Date.now() - stoppedAt;
    expect(stoppedAt).toBeGreaterThan(0);
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.error?.code).toBe("REDIS_UNAVAILABLE");
    expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(waited).toBeLessThan(TIMEOUT_MS + 1500);
    expect((await getConnection()).options).toMatchObject({ commandTimeout: TIMEOUT_MS });
    process.kill(server.pid, "SIGCONT");
    resumed = true;
    await new Promise((r) => setTimeout(r, 200));
    expect(unhandled).toEqual([]);
    const again = await callRoute<{ length?: number }>(streamGET as Parameters<typeof callRoute>[0], "/api/x", {
      params: { key: s },
    });
    expect(again.status).toBe(200);
    expect(again.body.length).toBe(10);
  } finally {
    if (!resumed) process.kill(server.pid, "SIGCONT");
    process.off("unhandledRejection", listener);
  }
}, 30_000);
