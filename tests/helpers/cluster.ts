import Redis, { Cluster } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { startRedisCluster, type PrivateCluster } from "@/scripts/lib/redis-cluster";

export interface PrivateClusterOptions {
  /** Replicas of each master (default none). */
  replicas?: number;
  /** The master REDIS_URL names (default the first). */
  urlMaster?: number;
  /** `--cluster-node-timeout` of every node: how soon a dead master counts as failed. */
  nodeTimeoutMs?: number;
}

/**
 * A private cluster for this test file (3 masters, optionally with replicas), with REDIS_URL
 * pointing at one master only (the app must find the others itself), a raw Cluster client for
 * seeding and checking, and a plain client per node (masters, then replicas).
 */
export function privateCluster(opts: PrivateClusterOptions = {}): {
  cluster: () => PrivateCluster;
  raw: () => Cluster;
  nodes: () => Redis[];
} {
  let cluster: PrivateCluster | undefined;
  let raw: Cluster | undefined;
  let nodes: Redis[] = [];
  const before = process.env.REDIS_URL;
  beforeAll(
    async () => {
      cluster = await startRedisCluster({
        masters: 3,
        replicasPerMaster: opts.replicas ?? 0,
        extraArgs: opts.nodeTimeoutMs ? ["--cluster-node-timeout", String(opts.nodeTimeoutMs)] : [],
      });
      await closeRedis();
      process.env.REDIS_URL = `redis://127.0.0.1:${cluster.masters[opts.urlMaster ?? 0]!.port}`;
      resetProcessState();
      raw = new Cluster([{ host: "127.0.0.1", port: cluster.masters[0]!.port }], { scaleReads: "master" });
      await raw.ping();
      nodes = cluster.nodes.map((m) => {
        const node = new Redis(m.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
        // A test may kill a node: its client then retries in the background until the end.
        node.on("error", () => undefined);
        return node;
      });
    },
    opts.replicas ? 60_000 : 30_000,
  );
  afterAll(async () => {
    await closeRedis();
    raw?.disconnect();
    for (const n of nodes) n.disconnect();
    await cluster?.stop();
    process.env.REDIS_URL = before;
    resetProcessState();
  });
  return { cluster: () => cluster!, raw: () => raw!, nodes: () => nodes };
}

/**
 * Makes a Cluster client lose one master from its pool, as a dropped node connection does under
 * load (ioredis adds it back at its next slot refresh): for code that must still reach every master.
 */
export async function dropMasterFromPool(client: Cluster): Promise<void> {
  await client.ping();
  const gone = client.nodes("master")[1];
  if (!gone) throw new Error("the client knows fewer than 2 masters");
  const dropped = new Promise((resolve) => client.once("-node", resolve));
  gone.disconnect();
  await dropped;
  if (client.nodes("master").length !== 2) throw new Error("the master is still in the pool");
}
