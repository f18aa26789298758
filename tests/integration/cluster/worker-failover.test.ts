import calculateSlot from "cluster-key-slot";
import Redis, { Cluster } from "ioredis";
import { describe, expect, it } from "vitest";
import { getWriteConnection } from "@/lib/redis/client";
import { workerKeys } from "@/lib/worker/keys";
import { tick } from "@/lib/worker/tick";
import type { TickResult } from "@/lib/contract/worker";
import type { WorkerJob } from "@/lib/worker/types";
import { privateCluster } from "../../helpers/cluster";
import { sleep } from "../../helpers/worker";

// The lock is on the first master (the one killed): REDIS_URL names another.
const { cluster } = privateCluster({ replicas: 1, urlMaster: 1 });
const SLOTS_PER_MASTER = Math.floor(16384 / 3);
/** Master index of a slot (scripts/lib/redis-cluster.ts gives masters equal ranges, in order). */
const masterIndex = (key: string) => Math.min(2, Math.floor(calculateSlot(key) / (SLOTS_PER_MASTER + 1)));

describe("the worker's lock across a failover of its master", () => {
  it("the old tick stops writing before a new tick can take the lock on the promoted replica", async () => {
    const LEASE = 2000;
    const lockKey = workerKeys.lock();
    expect(masterIndex(lockKey)).toBe(0);
    // Keys the running tick writes, on the masters that stay up.
    const written = Array.from({ length: 20 }, (_, i) => `fo:w${i}`).filter((k) => masterIndex(k) !== 0);
    const writes: number[] = [];
    const writer: WorkerJob = {
      name: "writer",
      cadenceMs: 0,
      async run(ctx) {
        for (let i = 0; i < 400; i++) {
          await ctx.heartbeat();
          await ctx.redis.incr(written[i % written.length]!);
          writes.push(Date.now());
          await sleep(25);
        }
        return { counts: {}, notes: [] };
      },
    };
    const redis = await getWriteConnection();
    const a: Promise<TickResult | Error> = tick({
      redis,
      instance: "A",
      forced: true,
      jobs: [writer],
      lockTtlMs: LEASE,
      record: false,
    }).catch((err: Error) => err);

    // The lock has reached the replica of its master, then that master dies.
    const replica = new Redis(cluster().replicas[0]!.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
    await replica.call("READONLY");
    for (let i = 0; i < 750 && !(await replica.get(lockKey)); i++) await sleep(20);
    expect(await replica.get(lockKey)).toMatch(/^A\|/);
    await sleep(300);
    process.kill(cluster().masters[0]!.pid, "SIGKILL");
    const killedAt = Date.now();

    // Another instance, on its own Cluster client, tries until it gets the lock from the promoted replica.
    const other = new Cluster(
      cluster()
        .masters.slice(1)
        .map((m) => ({ host: "127.0.0.1", port: m.port })),
      { scaleReads: "master", redisOptions: { maxRetriesPerRequest: 1 } },
    );
    let takenAt = 0;
    const deadline = Date.now() + 30_000;
    while (!takenAt && Date.now() < deadline) {
      const b = await tick({
        redis: other,
        instance: "B",
        forced: true,
        jobs: [{ name: "other", cadenceMs: 0, run: async () => ((takenAt = Date.now()), { counts: {}, notes: [] }) }],
        lockTtlMs: LEASE,
        waitMs: 0,
        record: false,
      }).catch(() => null);
      if (!b || b.status === "busy") await sleep(200);
    }
    const result = await a;
    await replica.quit().catch(() => undefined);
    await other.quit().catch(() => undefined);

    expect(takenAt).toBeGreaterThan(killedAt);
    // A wrote on the live masters after the kill, and stopped before B held the lock.
    expect(writes.some((t) => t > killedAt)).toBe(true);
    expect(Math.max(...writes)).toBeLessThan(takenAt);
    // A's job failed: its renewal found another holder, could not reach the lock's node, or its lease ran out.
    expect(result instanceof Error ? result.message : result.jobs[0]?.error).toBeTruthy();
  }, 60_000);
});
