import "server-only";
import type Redis from "ioredis";
import type { Cluster } from "ioredis";
import { AppError } from "@/lib/errors";

/**
 * What lib functions that must also work on a Redis Cluster take: a single server's client or
 * ioredis' Cluster client (which routes each keyed command to the node that holds the key's slot).
 * Commands without a key (SCAN, INFO, TIME...) go to one node of a cluster: fan-outs over the key
 * space use `mastersOf` instead.
 */
export type RedisConnection = Redis | Cluster;

export function isCluster(c: RedisConnection): c is Cluster {
  return (c as { isCluster?: boolean }).isCluster === true;
}

/** `host:port` of a node client. */
export function nodeAddress(node: Redis): string {
  return `${node.options.host ?? "127.0.0.1"}:${node.options.port ?? 6379}`;
}

/**
 * The master node clients of a cluster in a stable order (by address), or the single server.
 * Empty while a cluster has not loaded its slots yet.
 */
export function mastersOf(c: RedisConnection): Redis[] {
  if (!isCluster(c)) return [c];
  return c.nodes("master").sort((a, b) => compareAddresses(nodeAddress(a), nodeAddress(b)));
}

/**
 * Every master that CLUSTER SLOTS names, as the client's node connections; when the client's pool
 * lacks one (just connected, or a node's connection dropped and the pool has not caught up), its
 * slot cache is refreshed first. For walks that must cover the whole key space to claim so.
 * Falls back to the pool's masters when no address matches (NAT-mapped clusters). When the pool
 * still lacks a master after about 3 s of refreshes, throws REDIS_UNAVAILABLE rather than answer
 * with a part of the cluster as if it were the whole; with `partial` (views that show a missing
 * node as unreachable: health, the cluster page) it tries twice more at once and answers the
 * masters it has.
 */
export async function allMasters(c: RedisConnection, opts: { partial?: boolean } = {}): Promise<Redis[]> {
  if (!isCluster(c)) return [c];
  const waits = opts.partial ? [0, 0] : ALL_MASTERS_WAITS_MS;
  for (let attempt = 0; ; attempt++) {
    const slots = await c.cluster("SLOTS");
    const named = new Set(slots.flatMap(([, , master]) => (master ? [`${master[0]}:${master[1]}`] : [])));
    const pool = mastersOf(c);
    const inPool = pool.filter((n) => named.has(nodeAddress(n)));
    if (inPool.length === named.size) return inPool;
    if (inPool.length === 0 && pool.length > 0) return pool;
    if (attempt === waits.length) {
      if (opts.partial) return inPool;
      throw new AppError(
        "REDIS_UNAVAILABLE",
        `The client has no connection to ${named.size - inPool.length} of the cluster's ${named.size} masters yet`,
      );
    }
    // A refresh already running answers at once: the wait gives it time to end.
    await new Promise<void>((resolve) => c.refreshSlotsCache(() => resolve()));
    if (waits[attempt]) await new Promise((resolve) => setTimeout(resolve, waits[attempt]));
  }
}

const ALL_MASTERS_WAITS_MS = [50, 100, 200, 400, 800, 1600];

/**
 * The masters to talk to now: the pool's (`mastersOf`), or with `whole` every master CLUSTER
 * SLOTS names (`allMasters`, which throws REDIS_UNAVAILABLE when it cannot reach them all). A
 * cluster client that has not connected yet is connected first, so an empty pool means no master
 * is known, which throws.
 */
export async function mastersNow(c: RedisConnection, opts: { whole?: boolean } = {}): Promise<Redis[]> {
  if (!isCluster(c)) return [c];
  if (mastersOf(c).length === 0) await c.ping();
  const masters = opts.whole ? await allMasters(c) : mastersOf(c);
  if (masters.length === 0) throw new Error("Connection is closed: no Redis Cluster master is known");
  return masters;
}

function compareAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
