import "server-only";
import type Redis from "ioredis";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import {
  connectionProblem,
  firstAddress,
  getConnection,
  getRedis,
  getServerInfo,
  isConnectionError,
  sentinelConnectionOptions,
  sentinelTarget,
  topologyMode,
  whenReady,
} from "@/lib/redis/client";
import { allMasters, isCluster, nodeAddress } from "@/lib/redis/connection";
import { clusterNodes, replicasOf, sentinelView } from "@/lib/redis/topology";
import { probeTls } from "@/lib/redis/tls";
import { isSupported, unsupportedMessage } from "@/lib/redis/server-info";
import type { ClusterNodeHealth, HealthResponse, ReplicaHealth } from "@/lib/contract/common";

/** The cluster's nodes as the first master that answers sees them (REDIS_URL's node may be the one down). */
async function clusterView(candidates: Redis[]): Promise<ClusterNodeHealth[]> {
  let last: unknown;
  for (const node of candidates) {
    try {
      return await clusterNodes(node);
    } catch (err) {
      last = err;
    }
  }
  throw last ?? new Error("Connection is closed.");
}

/** Every replica of these masters with its lag; a master that does not answer is left out. */
async function replicasOfAll(masters: Redis[]): Promise<ReplicaHealth[]> {
  const lists = await Promise.all(masters.map((m) => replicasOf(m, nodeAddress(m)).catch(() => [])));
  return lists.flat();
}

export async function checkHealth(): Promise<{ status: number; body: HealthResponse }> {
  // A known TLS failure answers at once (the connection keeps reconnecting in the background).
  const known = connectionProblem();
  if (known) return { status: 503, body: { status: "error", error: { code: "REDIS_UNAVAILABLE", message: known } } };
  try {
    const mode = await topologyMode();
    // The ping proves the connection is alive now; on a cluster, any node (REDIS_URL's may be down).
    const cluster = mode === "cluster" ? await whenReady(await getConnection()) : null;
    await (cluster ?? getRedis()).ping();
    // The version is cached per connection.
    const info = await getServerInfo();
    if (!isSupported(info)) {
      const error = new AppError("UNSUPPORTED_VERSION", unsupportedMessage(info));
      return { status: 503, body: { status: "error", error: error.toBody().error } };
    }
    const redis = { version: info.version, mode: info.mode, flavor: info.flavor };
    const readFrom = getEnv().REDIS_READ_FROM;
    if (cluster && isCluster(cluster)) {
      const masters = await allMasters(cluster, { partial: true });
      const [nodes, replicas] = await Promise.all([clusterView([...masters, getRedis()]), replicasOfAll(masters)]);
      return { status: 200, body: { status: "ok", redis: { ...redis, mode: "cluster", nodes, readFrom, replicas } } };
    }
    const target = sentinelTarget();
    if (mode === "sentinel" && target) {
      const sentinel = await sentinelView(target, sentinelConnectionOptions());
      const master = getRedis();
      const address = sentinel.master ?? `${master.stream?.remoteAddress}:${master.stream?.remotePort}`;
      const replicas = await replicasOf(master, address).catch(() => []);
      return {
        status: 200,
        body: { status: "ok", redis: { ...redis, mode: "sentinel", sentinel, readFrom, replicas } },
      };
    }
    return { status: 200, body: { status: "ok", redis } };
  } catch (err) {
    const refused = err instanceof Error && /^(WRONGPASS|NOAUTH)/.test(err.message);
    const known = err instanceof AppError && err.code === "REDIS_UNAVAILABLE" ? err.message : null;
    const code = known || isConnectionError(err) || refused ? "REDIS_UNAVAILABLE" : "INTERNAL";
    const tls =
      code === "REDIS_UNAVAILABLE" && !refused
        ? (connectionProblem(err) ?? (await probeTls(firstAddress(), 2000)))
        : null;
    const message = refused
      ? "Redis refused the dashboard's credentials (check REDIS_URL)"
      : code === "REDIS_UNAVAILABLE"
        ? (tls ?? known ?? "Redis is unreachable")
        : "Health check failed";
    return { status: 503, body: { status: "error", error: { code, message } } };
  }
}
