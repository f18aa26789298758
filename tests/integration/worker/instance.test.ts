/**
 * One instance id per process: the server bundles the worker's modules more than once (the
 * start-up hook that runs the scheduler, the route handlers); every copy names the same holder,
 * and GET /api/worker shows it (host name and pid in it).
 */
import { hostname } from "node:os";
import { afterAll, expect, it, vi } from "vitest";
import { GET as workerGET, POST as workerPOST } from "@/app/api/worker/route";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis } from "@/lib/redis/client";
import { INSTANCE_ID } from "@/lib/worker/lock";
import { readTicks } from "@/lib/worker/status";
import { callRoute } from "../../helpers/route";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("instance");
type Handler = Parameters<typeof callRoute>[0];

afterAll(async () => {
  process.env.WORKER = "off";
  delete process.env.WORKER_INTERVAL_MS;
  delete process.env.WORKER_MATCH;
  resetProcessState();
  await closeRedis();
});

it("the route's ticks, the scheduler's ticks (another module copy) and GET /api/worker name one instance", async () => {
  expect(INSTANCE_ID).toContain(`${hostname()}:${process.pid}:`);
  process.env.WORKER_MATCH = `${uniquePrefix("inst")}*`;
  resetProcessState();

  const status = await callRoute<WorkerStatus>(workerGET as Handler, "/api/worker");
  expect(status.status).toBe(200);
  expect(status.body.instance).toBe(INSTANCE_ID);

  const run = await callRoute<TickResult>(workerPOST as Handler, "/api/worker", { method: "POST", body: {} });
  expect(run.status).toBe(200);
  expect(run.body.instance).toBe(INSTANCE_ID);

  // A fresh module registry stands for the start-up hook's own copy of the worker modules.
  vi.resetModules();
  const copy = await import("@/lib/worker/lock");
  expect(copy.INSTANCE_ID).toBe(INSTANCE_ID);
  const { startScheduler } = await import("@/lib/worker/scheduler");
  process.env.WORKER = "on";
  process.env.WORKER_INTERVAL_MS = "1000";
  resetProcessState();
  const handle = startScheduler();
  try {
    let ticks: TickResult[] = [];
    for (let i = 0; i < 40 && ticks.length < 2; i++) {
      await sleep(100);
      ticks = await readTicks(redis);
    }
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks.map((t) => t.instance))).toEqual(new Set([INSTANCE_ID]));
  } finally {
    handle?.stop();
  }
});
