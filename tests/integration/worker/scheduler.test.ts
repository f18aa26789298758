import { afterEach, describe, expect, it } from "vitest";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis } from "@/lib/redis/client";
import { freePort } from "@/scripts/lib/redis-server";
import { startScheduler } from "@/lib/worker/scheduler";
import { getWorkerStatus, readTicks } from "@/lib/worker/status";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("scheduler");
const realUrl = process.env.REDIS_URL!;

function env(vars: Record<string, string>) {
  Object.assign(process.env, vars);
  resetProcessState();
}

afterEach(async () => {
  env({ WORKER: "off", REDIS_URL: realUrl });
  delete process.env.WORKER_MATCH;
  delete process.env.WORKER_INTERVAL_MS;
  resetProcessState();
  await closeRedis();
});

describe("scheduler", () => {
  it("is off with WORKER=off", () => {
    env({ WORKER: "off" });
    expect(startScheduler()).toBeNull();
  });

  it("ticks every WORKER_INTERVAL_MS and announces its next run", async () => {
    env({ WORKER: "on", WORKER_INTERVAL_MS: "1000", WORKER_MATCH: `${uniquePrefix("sched")}*` });
    const handle = startScheduler();
    try {
      await sleep(2600);
      expect((await readTicks(redis)).length).toBeGreaterThanOrEqual(1);
      const status = await getWorkerStatus(redis);
      expect(status.scheduler).toMatchObject({ enabled: true, intervalMs: 1000 });
      expect(status.scheduler.nextTickAt).toBeGreaterThan(Date.now() - 1000);
    } finally {
      handle?.stop();
    }
  });

  it("survives Redis being down: logs, retries next interval, never throws", async () => {
    env({ WORKER: "on", WORKER_INTERVAL_MS: "1000", REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const handle = startScheduler();
    try {
      await sleep(2500);
    } finally {
      handle?.stop();
    }
    expect(handle).not.toBeNull();
  });
});
