import "server-only";
import type Redis from "ioredis";
import type { Cluster } from "ioredis";

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
 * Falls back to the pool's masters when addresses never match (NAT-mapped clusters).
 */
export async function allMasters(c: RedisConnection): Promise<Redis[]> {
  if (!isCluster(c)) return [c];
  for (let attempt = 0; attempt < 3; attempt++) {
    const slots = await c.cluster("SLOTS");
    const named = new Set(slots.flatMap(([, , master]) => (master ? [`${master[0]}:${master[1]}`] : [])));
    const pool = mastersOf(c);
    const have = new Set(pool.map(nodeAddress));
    if ([...named].every((a) => have.has(a))) return pool.filter((n) => named.has(nodeAddress(n)));
    await new Promise<void>((resolve) => c.refreshSlotsCache(() => resolve()));
  }
  return mastersOf(c);
}

function compareAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
