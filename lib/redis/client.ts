import "server-only";
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";
import { AppError } from "@/lib/errors";
import { getEnv, parseSentinelUrl, type NodeAddress, type SentinelTarget } from "@/lib/env";
import { log } from "@/lib/log";
import { isSupported, probeServer, unsupportedMessage, type ServerInfo } from "./server-info";
import { redisTlsOptions, tlsProblem } from "./tls";
import { processState } from "@/lib/runtime/state";
import type { RedisConnection } from "./connection";

/**
 * The one shared Redis connection of the app, and the one connection for changes
 * (`getWriteRedis()`). Cached on globalThis so that dev hot reload does not leak connections.
 * Blocking work must use `duplicateConnection()` instead. With a `redis+sentinel://` REDIS_URL
 * these are ioredis' Sentinel-backed clients: they ask the sentinels for the master (again after
 * every lost connection and on a `+switch-master`), so a failover needs no restart.
 */
interface Holder {
  client: Redis;
  url: string;
  info?: Promise<ServerInfo>;
  /** Whether the server is a Redis Cluster node (`INFO cluster`), asked once per connection. */
  clusterEnabled?: Promise<boolean>;
}

/** A Cluster client, for the seeds it was made from (REDIS_URL and REDIS_CLUSTER_NODES). */
interface ClusterHolder {
  client: Cluster;
  seeds: string;
}

const readHolder = processState<Holder | undefined>("redis", () => undefined, { keepOnReset: true });
const writeHolder = processState<Holder | undefined>("redis-write", () => undefined, { keepOnReset: true });
const clusterHolder = processState<ClusterHolder | undefined>("redis-cluster", () => undefined, { keepOnReset: true });
const writeClusterHolder = processState<ClusterHolder | undefined>("redis-cluster-write", () => undefined, {
  keepOnReset: true,
});
/** REDIS_READ_FROM=replica: the Sentinel replica client, or the Cluster client reading from replicas. */
const replicaHolder = processState<Holder | undefined>("redis-replica", () => undefined, { keepOnReset: true });
const replicaClusterHolder = processState<ClusterHolder | undefined>("redis-cluster-replica", () => undefined, {
  keepOnReset: true,
});

/** How the app reaches Redis: one server, a Redis Cluster, or a master found through Sentinel. */
export type TopologyMode = "standalone" | "cluster" | "sentinel";

/** REDIS_URL's Sentinel deployment, or null for a `redis://`/`rediss://` URL. */
export function sentinelTarget(): SentinelTarget | null {
  const parsed = parseSentinelUrl(getEnv().REDIS_URL);
  return typeof parsed === "object" ? parsed : null;
}

/** Where a TLS problem is probed: REDIS_URL's server, or the first sentinel. */
export function firstAddress(): NodeAddress {
  const sentinel = sentinelTarget();
  if (sentinel) return sentinel.sentinels[0]!;
  return clusterSeeds()[0]!;
}

/**
 * ioredis' Sentinel options for `role`: the data user and password from REDIS_URL, the sentinels'
 * from REDIS_SENTINEL_USERNAME/PASSWORD, TLS (REDIS_TLS_*) to both with `rediss+sentinel://`.
 */
export function sentinelOptions(target: SentinelTarget, role: "master" | "slave"): RedisOptions {
  const env = getEnv();
  const tls = redisTlsOptions();
  return {
    sentinels: target.sentinels,
    name: target.name,
    role,
    db: target.db,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(env.REDIS_SENTINEL_USERNAME ? { sentinelUsername: env.REDIS_SENTINEL_USERNAME } : {}),
    ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
    ...(tls ? { tls, sentinelTLS: tls, enableTLSForSentinelMode: true } : {}),
    // One round over the sentinels per connection attempt: when none answers, the attempt fails and
    // retryStrategy backs off, so queued commands fail after maxRetriesPerRequest instead of
    // waiting for the command timeout while ioredis would go round the sentinels for ever.
    sentinelRetryStrategy: () => null,
    sentinelCommandTimeout: 2000,
    // Reconnect at once when a sentinel announces a new master (+switch-master), not at the next error.
    failoverDetector: true,
    // A master demoted by a failover refuses writes: ask the sentinels again (the command is not re-sent).
    reconnectOnError: role === "master" ? (err) => (/^READONLY\b/.test(err.message) ? 1 : false) : () => false,
  };
}

export function connectionOptions(): RedisOptions {
  const tls = redisTlsOptions();
  return {
    ...(tls ? { tls } : {}),
    // Fail a command fast while Redis is away instead of queueing it forever.
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: getEnv().REDIS_COMMAND_TIMEOUT_MS,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 2000),
    reconnectOnError: () => false,
    lazyConnect: false,
  };
}

/**
 * The write connection never sends a command twice on its own: a command whose reply was lost
 * (connection dropped after sending) is not re-sent after the reconnect, and every command in
 * flight or queued fails at once when the connection drops (maxRetriesPerRequest 0) instead of
 * waiting for the command timeout. Its callers decide what an unknown outcome means: recorded
 * scripts are re-run by `retryOnConnectionLoss` (lib/redis/retry.ts) and find their own record.
 */
export function writeConnectionOptions(): RedisOptions {
  return { ...connectionOptions(), autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 0 };
}

/**
 * The last TLS failure of a connection, until it is ready again: commands only see "max retries",
 * and a refused handshake is often followed by plain ECONNRESETs on the next attempts.
 */
const lastTlsErrors = new WeakMap<Redis, Error>();

/** Options of a connection to one sentinel (its own user and password, TLS with `rediss+sentinel://`). */
export function sentinelConnectionOptions(): RedisOptions {
  const env = getEnv();
  const tls = redisTlsOptions();
  return {
    ...(env.REDIS_SENTINEL_USERNAME ? { username: env.REDIS_SENTINEL_USERNAME } : {}),
    ...(env.REDIS_SENTINEL_PASSWORD ? { password: env.REDIS_SENTINEL_PASSWORD } : {}),
    ...(tls ? { tls } : {}),
  };
}

function createClient(
  url: string,
  options: RedisOptions = connectionOptions(),
  name = "streamscope",
  role: "master" | "slave" = "master",
): Redis {
  const sentinel = sentinelTarget();
  const client = sentinel
    ? new Redis({ ...options, ...sentinelOptions(sentinel, role), connectionName: name })
    : new Redis(url, { ...options, connectionName: name });
  let down = false;
  client.on("error", (err: Error) => {
    if (tlsProblem(err)) lastTlsErrors.set(client, err);
    if (!down) log.warn({ err: err.message, tls: tlsProblem(err) ?? undefined }, "redis connection error");
    down = true;
  });
  client.on("ready", () => {
    lastTlsErrors.delete(client);
    if (down) log.info("redis connection restored");
    down = false;
    const holder = readHolder.value;
    // The server may have been upgraded or replaced while away: detect it again.
    if (holder?.client === client) {
      holder.info = undefined;
      holder.clusterEnabled = undefined;
    }
  });
  return client;
}

export function getRedis(): Redis {
  const url = getEnv().REDIS_URL;
  const holder = readHolder.value;
  if (holder && holder.url === url && holder.client.status !== "end") return holder.client;
  if (holder) holder.client.disconnect();
  const client = createClient(url);
  readHolder.value = { client, url };
  return client;
}

/**
 * The connection for changes (actions, publish, the worker's ticks): see writeConnectionOptions.
 * Reads of an action may run on it too (they are safe to retry).
 */
export function getWriteRedis(): Redis {
  const url = getEnv().REDIS_URL;
  const holder = writeHolder.value;
  if (holder && holder.url === url && holder.client.status !== "end") return holder.client;
  if (holder) holder.client.disconnect();
  const client = createClient(url, writeConnectionOptions(), "streamscope-write");
  writeHolder.value = { client, url };
  return client;
}

/**
 * REDIS_READ_FROM=replica on Sentinel: a connection to a replica the sentinels name (another one
 * after a lost connection). Only for reads; it refuses writes (READONLY).
 */
export function getReplicaRedis(): Redis {
  const url = getEnv().REDIS_URL;
  const holder = replicaHolder.value;
  if (holder && holder.url === url && holder.client.status !== "end") return holder.client;
  if (holder) holder.client.disconnect();
  const client = createClient(url, connectionOptions(), "streamscope-replica", "slave");
  replicaHolder.value = { client, url };
  return client;
}

/** A new connection for blocking commands; the caller must `quit()` or `disconnect()` it. */
export function duplicateConnection(overrides: Partial<RedisOptions> = {}): Redis {
  return getRedis().duplicate(overrides);
}

/** Server flavor, version and features, detected once per connection (again after a reconnect). */
export async function getServerInfo(): Promise<ServerInfo> {
  const client = getRedis();
  const holder = readHolder.value!;
  if (!holder.info) {
    holder.info = probeServer(client);
    holder.info.catch(() => {
      if (readHolder.value === holder) holder.info = undefined;
    });
  }
  return holder.info;
}

/** The client, after checking that the server is one we support. */
export async function redisForRequest(): Promise<Redis> {
  failFastOnTls();
  const info = await getServerInfo();
  if (!isSupported(info)) {
    throw new AppError("UNSUPPORTED_VERSION", unsupportedMessage(info));
  }
  return getRedis();
}

const UNAVAILABLE_PATTERNS = [
  /ECONNREFUSED/,
  /ECONNRESET/,
  /ETIMEDOUT/,
  /ENOTFOUND/,
  /EHOSTUNREACH/,
  /Connection is closed/i,
  /max retries per request/i,
  /Stream isn't writeable/i,
  /Command timed out/i,
  /LOADING/,
  /connect ETIMEDOUT/,
  /^All sentinels are unreachable/,
];

/**
 * A topology change in progress: a cluster without a master for some slot (CLUSTERDOWN, ioredis
 * giving up after its redirection budget), slots moving (TRYAGAIN), a replica cut off from its
 * master (MASTERDOWN), a master demoted by a failover (READONLY).
 * Each is answered 503 REDIS_UNAVAILABLE and is safe to try again: the command did not run.
 */
const FAILOVER_PATTERNS = [
  /^CLUSTERDOWN\b/,
  /^TRYAGAIN\b/,
  /^MASTERDOWN\b/,
  /^READONLY\b/,
  /^Too many Cluster redirections/,
  /^Cluster isn't ready/,
  /^Failed to refresh slots cache/,
  /^None of startup nodes is available/,
];

export function isFailoverError(err: unknown): boolean {
  return err instanceof Error && FAILOVER_PATTERNS.some((p) => p.test(err.message));
}

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "MaxRetriesPerRequestError" || err.name === "ClusterAllFailedError") return true;
  return UNAVAILABLE_PATTERNS.some((p) => p.test(err.message)) || isFailoverError(err) || tlsProblem(err) !== null;
}

/**
 * The TLS problem behind a connection error, when there is one: from the error itself, or from
 * the last failure of the shared or the write connection (commands only see "max retries").
 */
export function connectionProblem(err?: unknown): string | null {
  const direct = tlsProblem(err);
  if (direct) return direct;
  for (const holder of [readHolder.value, writeHolder.value, replicaHolder.value]) {
    const last = holder && holder.client.status !== "ready" ? lastTlsErrors.get(holder.client) : undefined;
    const problem = tlsProblem(last);
    if (problem) return problem;
  }
  return null;
}

/**
 * While the connection is known to fail its TLS handshake, a request answers at once with the
 * reason instead of waiting for the reconnects' back-off (they go on in the background).
 */
export function failFastOnTls(): void {
  const problem = connectionProblem();
  if (problem) throw new AppError("REDIS_UNAVAILABLE", problem);
}

/** Whether REDIS_URL names a Redis Cluster node: `INFO cluster` answers `cluster_enabled:1` (never for Sentinel). */
export async function isClusterMode(): Promise<boolean> {
  if (sentinelTarget()) return false;
  const client = getRedis();
  const holder = readHolder.value!;
  if (!holder.clusterEnabled) {
    holder.clusterEnabled = client.info("cluster").then((text) => /^cluster_enabled:1\s*$/m.test(text));
    holder.clusterEnabled.catch(() => {
      if (readHolder.value === holder) holder.clusterEnabled = undefined;
    });
  }
  return holder.clusterEnabled;
}

/** How the app reaches Redis (Sentinel from the URL, a cluster detected with `INFO cluster`). */
export async function topologyMode(): Promise<TopologyMode> {
  if (sentinelTarget()) return "sentinel";
  return (await isClusterMode()) ? "cluster" : "standalone";
}

/** REDIS_URL's node first, then REDIS_CLUSTER_NODES (duplicates left out). */
export function clusterSeeds(): { host: string; port: number }[] {
  const env = getEnv();
  if (sentinelTarget()) return [];
  const url = new URL(env.REDIS_URL);
  const first = { host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", port: Number(url.port || 6379) };
  const seen = new Set<string>();
  return [first, ...env.REDIS_CLUSTER_NODES].filter((n) => {
    const id = `${n.host}:${n.port}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The Cluster client's options: every node connection as for a single server (TLS, user,
 * password), and a bounded retry budget. MOVED, ASK, TRYAGAIN, CLUSTERDOWN and a lost node
 * connection each spend one of `maxRedirections` tries (with the delays below, about 1.5 s in
 * all), then the command fails (503 REDIS_UNAVAILABLE); each node command is bounded by
 * REDIS_COMMAND_TIMEOUT_MS. The slot map is reloaded on MOVED, on CLUSTERDOWN, on a lost node and
 * every 5 s, so a promoted replica is found within seconds.
 */
export function clusterOptions(
  nodeOptions: RedisOptions,
  name: string,
  scaleReads: "master" | "slave" = "master",
): ClusterOptions {
  // The Cluster client re-sends a command failed by "Connection is closed" (its reply may have
  // been lost) after retryDelayOnFailover: never on the write connection (writeConnectionOptions).
  const resend = nodeOptions.autoResendUnfulfilledCommands !== false;
  const url = new URL(getEnv().REDIS_URL);
  return {
    // "slave": single read-only commands go to a replica of the key's slot (the master when it has
    // none); writes, scripts, transactions and pipelines still go to the master.
    scaleReads,
    maxRedirections: 6,
    enableReadyCheck: true,
    retryDelayOnMoved: 0,
    retryDelayOnFailover: resend ? 300 : 0,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2000,
    slotsRefreshInterval: 5000,
    clusterRetryStrategy: (times) => Math.min(200 * times, 2000),
    redisOptions: {
      ...nodeOptions,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      connectionName: name,
    },
  };
}

function seedsId(seeds: { host: string; port: number }[]): string {
  return `${getEnv().REDIS_URL} ${seeds.map((s) => `${s.host}:${s.port}`).join(",")}`;
}

function cachedCluster(
  slot: typeof clusterHolder,
  nodeOptions: () => RedisOptions,
  name: string,
  scaleReads: "master" | "slave" = "master",
): Cluster {
  const seeds = clusterSeeds();
  const id = seedsId(seeds);
  const holder = slot.value;
  if (holder && holder.seeds === id && holder.client.status !== "end") return holder.client;
  if (holder) holder.client.disconnect();
  const client = new Cluster(seeds, clusterOptions(nodeOptions(), name, scaleReads));
  if (scaleReads === "slave") markReplicaReads(client);
  let down = false;
  client.on("error", (err: Error) => {
    if (!down) log.warn({ err: err.message, tls: tlsProblem(err) ?? undefined }, "redis cluster error");
    down = true;
  });
  client.on("ready", () => {
    if (down) log.info("redis cluster connection restored");
    down = false;
  });
  slot.value = { client, seeds: id };
  return client;
}

/** The shared connection: the Cluster client when REDIS_URL names a cluster node, else getRedis(). */
export async function getConnection(): Promise<RedisConnection> {
  return (await isClusterMode()) ? cachedCluster(clusterHolder, connectionOptions, "streamscope") : getRedis();
}

/**
 * The connection for changes: on a cluster, a Cluster client whose node connections follow
 * writeConnectionOptions (no command sent twice on its own), else getWriteRedis().
 */
export async function getWriteConnection(): Promise<RedisConnection> {
  return (await isClusterMode())
    ? cachedCluster(writeClusterHolder, writeConnectionOptions, "streamscope-write")
    : getWriteRedis();
}

/**
 * The reads a cluster replica may answer. ioredis sends only commands it knows as read-only to a
 * replica, and knows a name only in lower case (`call("XPENDING")` would go to the master), nor
 * XINFO at all: these are marked here, whatever their case.
 */
const REPLICA_READS = new Set([
  "xinfo",
  "xpending",
  "xrange",
  "xrevrange",
  "xlen",
  "exists",
  "type",
  "memory",
  "object",
  "ttl",
  "pttl",
  "get",
  "mget",
  "hget",
  "hgetall",
  "hmget",
  "hlen",
  "hscan",
  "zrange",
  "zrevrange",
  "zrangebyscore",
  "zcard",
  "scard",
  "smembers",
  "lrange",
  "llen",
]);

function markReplicaReads(client: Cluster): void {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command, stream, node) => {
    if (REPLICA_READS.has(command.name.toLowerCase())) command.isReadOnly = true;
    return send(command, stream, node);
  };
}

/**
 * The connection for read-only work: with REDIS_READ_FROM=replica, the Cluster client reading
 * from replicas, or the Sentinel replica client; otherwise getConnection(). Replicas lag their
 * master (health says by how much): never use it for a read that decides a write.
 */
export async function getReadConnection(): Promise<RedisConnection> {
  if (getEnv().REDIS_READ_FROM !== "replica") return getConnection();
  if (sentinelTarget()) return getReplicaRedis();
  if (await isClusterMode()) return cachedCluster(replicaClusterHolder, connectionOptions, "streamscope-read", "slave");
  return getRedis();
}

/**
 * A Cluster client queues commands while it is not ready (starting, or reloading its slot map
 * after losing every node) and never times them out: a request waits for it at most this long.
 */
const CLUSTER_READY_WAIT_MS = 5000;

/** `conn` once it can take commands: at once for a single server, within CLUSTER_READY_WAIT_MS for a cluster (else 503). */
export async function whenReady(conn: RedisConnection): Promise<RedisConnection> {
  if (!(conn instanceof Cluster) || conn.status === "ready") return conn;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      conn.off("ready", onReady);
      reject(
        new AppError(
          "REDIS_UNAVAILABLE",
          `The Redis Cluster is not ready (no usable slot map within ${CLUSTER_READY_WAIT_MS} ms); retrying in the background`,
        ),
      );
    }, CLUSTER_READY_WAIT_MS);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    conn.once("ready", onReady);
  });
  return conn;
}

/** getConnection(), after checking that the server is one we support. */
export async function connectionForRequest(): Promise<RedisConnection> {
  await redisForRequest();
  return whenReady(await getConnection());
}

/** getReadConnection(), after checking that the server is one we support. */
export async function readConnectionForRequest(): Promise<RedisConnection> {
  await redisForRequest();
  return whenReady(await getReadConnection());
}

/** getWriteConnection(), after checking that the server is one we support. */
export async function writeConnectionForRequest(): Promise<RedisConnection> {
  await redisForRequest();
  return whenReady(await getWriteConnection());
}

/** Close the shared, the write and the replica connections, single, Sentinel and cluster (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const holders = [
    readHolder.value,
    writeHolder.value,
    replicaHolder.value,
    clusterHolder.value,
    writeClusterHolder.value,
    replicaClusterHolder.value,
  ];
  readHolder.value = undefined;
  writeHolder.value = undefined;
  replicaHolder.value = undefined;
  clusterHolder.value = undefined;
  writeClusterHolder.value = undefined;
  replicaClusterHolder.value = undefined;
  for (const holder of holders) if (holder) await holder.client.quit().catch(() => holder.client.disconnect());
}
