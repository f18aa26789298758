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

function compareAddresses(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
