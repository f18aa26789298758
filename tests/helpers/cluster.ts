import Redis, { Cluster } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { startRedisCluster, type PrivateCluster } from "@/scripts/lib/redis-cluster";

/**
 * A private 3-master cluster for this test file, with REDIS_URL pointing at one master only (the
 * app must find the others itself), and a raw Cluster client for seeding and checking.
 */
export function privateCluster(): { cluster: () => PrivateCluster; raw: () => Cluster; nodes: () => Redis[] } {
  let cluster: PrivateCluster | undefined;
  let raw: Cluster | undefined;
  let nodes: Redis[] = [];
  const before = process.env.REDIS_URL;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    await closeRedis();
    process.env.REDIS_URL = cluster.url;
    resetProcessState();
    raw = new Cluster([{ host: "127.0.0.1", port: cluster.masters[0]!.port }], { scaleReads: "master" });
    await raw.ping();
    nodes = cluster.masters.map((m) => new Redis(m.port, "127.0.0.1", { maxRetriesPerRequest: 1 }));
  }, 30_000);
  afterAll(async () => {
    await closeRedis();
    await raw?.quit();
    for (const n of nodes) await n.quit();
    await cluster?.stop();
    process.env.REDIS_URL = before;
    resetProcessState();
  });
  return { cluster: () => cluster!, raw: () => raw!, nodes: () => nodes };
}
