/**
 * Starts a private Redis Cluster on loopback (masters, optionally one replica each) for tests,
 * the cluster demo and benchmarks, and stops every node by its pid. Slots are assigned with
 * CLUSTER ADDSLOTSRANGE and nodes joined with CLUSTER MEET, so no `redis-cli` is needed.
 */
import Redis from "ioredis";
import { createServer } from "node:net";
import { startRedisServer, type PrivateRedis, type StartOptions } from "./redis-server";

export interface PrivateCluster {
  nodes: PrivateRedis[];
  masters: PrivateRedis[];
  replicas: PrivateRedis[];
  /** `redis://127.0.0.1:<port>` (`rediss://` over TLS) of the first master: a seed for ioredis' Cluster client. */
  url: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  bin?: string;
  extraArgs?: string[];
  /** TLS only: the server's TLS arguments (see `StartOptions.tlsArgs`) and the CA its clients trust. */
  tls?: { args: string[]; ca: Buffer };
}

const SLOTS = 16384;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A port below 55535 whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if (taken.has(port) || taken.has(port + 10000)) continue;
    if ((await portFree(port)) && (await portFree(port + 10000))) {
      taken.add(port);
      taken.add(port + 10000);
      return port;
    }
  }
  throw new Error("no free port pair (port, port + 10000) below 55535");
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startRedisCluster(opts: ClusterOptions = {}): Promise<PrivateCluster> {
  const masterCount = opts.masters ?? 3;
  const replicasPerMaster = opts.replicasPerMaster ?? 0;
  const taken = new Set<number>();
  const nodes: PrivateRedis[] = [];
  const serverOpts = async (): Promise<StartOptions> => ({
    port: await clusterPort(taken),
    bin: opts.bin,
    tlsArgs: opts.tls?.args,
    extraArgs: ["--cluster-enabled", "yes", "--cluster-node-timeout", "2000", ...(opts.extraArgs ?? [])],
  });
  const clients: Redis[] = [];
  try {
    for (let i = 0; i < masterCount * (1 + replicasPerMaster); i++)
      nodes.push(await startRedisServer(await serverOpts()));
    for (const node of nodes)
      clients.push(
        new Redis(node.port, "127.0.0.1", {
          lazyConnect: false,
          maxRetriesPerRequest: 1,
          ...(opts.tls ? { tls: { ca: opts.tls.ca } } : {}),
        }),
      );
    const [first] = clients;
    if (!first) throw new Error("cluster: no nodes");

    for (let m = 0; m < masterCount; m++) {
      const from = Math.floor((m * SLOTS) / masterCount);
      const to = Math.floor(((m + 1) * SLOTS) / masterCount) - 1;
      await clients[m]!.call("CLUSTER", "ADDSLOTSRANGE", String(from), String(to));
    }
    for (const node of nodes.slice(1)) await first.call("CLUSTER", "MEET", "127.0.0.1", String(node.port));
    await waitFor("every node to know every other", async () => {
      for (const c of clients) {
        const known = String(await c.call("CLUSTER", "NODES"))
          .trim()
          .split("\n").length;
        if (known < nodes.length) return false;
      }
      return true;
    });

    for (let r = 0; r < masterCount * replicasPerMaster; r++) {
      const master = clients[r % masterCount]!;
      const masterId = String(await master.call("CLUSTER", "MYID"));
      await clients[masterCount + r]!.call("CLUSTER", "REPLICATE", masterId);
    }
    await waitFor("cluster_state:ok on every node", async () => {
      for (const c of clients) {
        if (!String(await c.call("CLUSTER", "INFO")).includes("cluster_state:ok")) return false;
      }
      return true;
    });
    // Replicas are of use (reads, a failover) only once synced and known to every node.
    await waitFor(
      "every replica synced and listed by every node",
      async () => {
        for (const replica of clients.slice(masterCount)) {
          if (!String(await replica.info("replication")).includes("master_link_status:up")) return false;
        }
        for (const c of clients) {
          const slots = (await c.call("CLUSTER", "SLOTS")) as unknown[][];
          if (slots.reduce((n, range) => n + Math.max(0, range.length - 3), 0) < masterCount * replicasPerMaster)
            return false;
        }
        return true;
      },
      40_000,
    );
  } catch (err) {
    for (const c of clients) c.disconnect();
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
  for (const c of clients) c.disconnect();
  const masters = nodes.slice(0, masterCount);
  return {
    nodes,
    masters,
    replicas: nodes.slice(masterCount),
    url: masters[0]!.url,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
