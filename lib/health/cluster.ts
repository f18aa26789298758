import "server-only";
import type Redis from "ioredis";
import {
  CLUSTER_HOTTEST,
  CLUSTER_STREAMS_READ_CAP,
  type ClusterNode,
  type ClusterResponse,
  type HotStream,
} from "@/lib/contract/cluster";
import { isAppKey } from "@/lib/redis/app-keys";
import { allMasters, isCluster, nodeAddress, type RedisConnection } from "@/lib/redis/connection";
import { errorText } from "@/lib/redis/errors";
import { clusterNodes } from "@/lib/redis/topology";
import { indexedKeys } from "@/lib/streams/list";
import { readStreams, streamsOnly } from "@/lib/streams/snapshot";

/** Keys longer than this are counted but never listed as hottest (the answer stays small). */
const MAX_LISTED_KEY = 1024;

export interface ClusterOverviewOptions {
  /** Streams the caller may see: the others are neither counted nor listed. */
  visible: (key: string) => boolean;
}

/**
 * Every node of the cluster (or the one server) with its role, slots, memory and ops/s (INFO), and
 * for each master its streams: counted from the stream index ("at least" until its first full
 * pass ends), the first
 * CLUSTER_STREAMS_READ_CAP of them read through the snapshot (XINFO STREAM + GROUPS, pipelined per
 * node) for the pending total and the hottest streams. A node that fails answers with `error`
 * and no numbers; the others are still shown.
 */
export async function readClusterOverview(
  redis: RedisConnection,
  opts: ClusterOverviewOptions,
): Promise<ClusterResponse> {
  if (!isCluster(redis)) {
    const stats = await nodeStats(redis, redis, opts);
    return {
      mode: "single",
      nodes: [
        {
          id: null,
          address: nodeAddress(redis),
          role: "master",
          masterOf: null,
          slots: [],
          slotCount: 0,
          reachable: stats.error === undefined,
          ...stats,
        },
      ],
    };
  }
  // Every master CLUSTER SLOTS names: a pool that lost one is refreshed, so its streams are read.
  const seed = (await allMasters(redis, { partial: true }))[0];
  if (!seed) throw new Error("Connection is closed: no Redis Cluster master is known");
  const [topology, masterIds] = await Promise.all([clusterNodes(seed), replicaMasters(seed)]);
  const clients = new Map(redis.nodes("all").map((n) => [nodeAddress(n), n]));
  const addressById = new Map(topology.map((n) => [n.id, n.address]));

  const nodes = await Promise.all(
    topology.map(async (n): Promise<ClusterNode> => {
      const client = clients.get(n.address);
      const masterId = masterIds.get(n.id);
      const base = {
        id: n.id,
        address: n.address,
        role: n.role,
        masterOf: n.role === "replica" && masterId ? (addressById.get(masterId) ?? null) : null,
        slots: n.slots,
        slotCount: n.slots.reduce((t, [from, to]) => t + to - from + 1, 0),
        reachable: n.reachable,
      };
      if (!n.reachable) return { ...base, streams: null, usedMemoryBytes: null, opsPerSec: null };
      if (client) return { ...base, ...(await nodeStats(redis, client, opts, n.role === "master")) };
      // A node the Cluster client has not connected to (a replica, with reads from masters only).
      const [host, port] = splitAddress(n.address);
      const temporary = seed.duplicate({ host, port, connectionName: "streamscope", lazyConnect: false });
      temporary.on("error", () => {
        /* reported through the failing INFO */
      });
      try {
        return { ...base, ...(await nodeStats(redis, temporary, opts, n.role === "master")) };
      } finally {
        temporary.disconnect();
      }
    }),
  );
  return { mode: "cluster", nodes: inDisplayOrder(nodes) };
}

type NodeStats = Pick<ClusterNode, "streams" | "usedMemoryBytes" | "opsPerSec" | "error">;

async function nodeStats(
  redis: RedisConnection,
  node: Redis,
  opts: ClusterOverviewOptions,
  master = true,
): Promise<NodeStats> {
  try {
    const [memory, stats, streams] = await Promise.all([
      node.info("memory"),
      node.info("stats"),
      master ? streamsOn(redis, node, opts) : null,
    ]);
    return {
      streams,
      usedMemoryBytes: infoNumber(memory, "used_memory"),
      opsPerSec: infoNumber(stats, "instantaneous_ops_per_sec"),
    };
  } catch (err) {
    return { streams: null, usedMemoryBytes: null, opsPerSec: null, error: errorText(err) };
  }
}

/**
 * The streams of one master, from the stream index (which finds every master's streams in bounded
 * SCAN slices: the count is "at least" until its first full pass ends), then XINFO of the first
 * ones through the cluster connection (so a key whose slot moved is read where it is now).
 */
async function streamsOn(
  redis: RedisConnection,
  node: Redis,
  opts: ClusterOverviewOptions,
): Promise<NonNullable<ClusterNode["streams"]>> {
  const indexed = await indexedKeys(redis, "*", nodeAddress(node));
  const keys = indexed.keys.filter((key) => !isAppKey(key) && opts.visible(key));
  const toRead = keys.slice(0, CLUSTER_STREAMS_READ_CAP);
  const reads = streamsOnly(await readStreams(redis, toRead, { info: true, groups: true }));
  let pending = 0;
  const rows: HotStream[] = [];
  for (const r of reads) {
    const streamPending = (r.groups ?? []).reduce((t, g) => t + g.pending, 0);
    pending += streamPending;
    if (r.key.length <= MAX_LISTED_KEY) rows.push({ key: r.key, length: r.info?.length ?? 0, pending: streamPending });
  }
  return {
    count: keys.length,
    atLeast: !indexed.complete,
    pending,
    partial: !indexed.complete || keys.length > toRead.length,
    hottest: hottest(rows, CLUSTER_HOTTEST),
  };
}

/** Most pending first, then longest, then by key. */
export function hottest(rows: HotStream[], n: number): HotStream[] {
  return [...rows]
    .sort((a, b) => b.pending - a.pending || b.length - a.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n);
}

/** Replica id -> its master's id, from CLUSTER NODES (field 4). */
async function replicaMasters(seed: Redis): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const line of String(await seed.call("CLUSTER", "NODES")).split(/\r?\n/)) {
    const [id, , , master] = line.trim().split(" ");
    if (id && master && master !== "-") out.set(id, master);
  }
  return out;
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

function infoNumber(text: string, field: string): number | null {
  const m = new RegExp(`^${field}:(\\d+(?:\\.\\d+)?)\\s*$`, "m").exec(text);
  return m ? Number(m[1]) : null;
}

/** Masters by address, each followed by its replicas; replicas of no known master last. */
export function inDisplayOrder(nodes: ClusterNode[]): ClusterNode[] {
  const byAddress = (a: ClusterNode, b: ClusterNode) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  const masters = nodes.filter((n) => n.role === "master").sort(byAddress);
  const out: ClusterNode[] = [];
  for (const m of masters) {
    out.push(m, ...nodes.filter((n) => n.role === "replica" && n.masterOf === m.address).sort(byAddress));
  }
  const placed = new Set(out);
  out.push(...nodes.filter((n) => !placed.has(n)).sort(byAddress));
  return out;
}
