import "server-only";
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { isSupported, probeServer, unsupportedMessage, type ServerInfo } from "./server-info";
import { redisTlsOptions, tlsProblem } from "./tls";
import { processState } from "@/lib/runtime/state";
import type { RedisConnection } from "./connection";

/**
 * The one shared Redis connection of the app, and the one connection for changes
 * (`getWriteRedis()`). Cached on globalThis so that dev hot reload does not leak connections.
 * Blocking work must use `duplicateConnection()` instead.
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

function createClient(url: string, options: RedisOptions = connectionOptions(), name = "streamscope"): Redis {
  const client = new Redis(url, { ...options, connectionName: name });
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

/** The write connection, after checking that the server is one we support. */
export async function writeRedisForRequest(): Promise<Redis> {
  await redisForRequest();
  return getWriteRedis();
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
];

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "MaxRetriesPerRequestError") return true;
  return UNAVAILABLE_PATTERNS.some((p) => p.test(err.message)) || tlsProblem(err) !== null;
}

/**
 * The TLS problem behind a connection error, when there is one: from the error itself, or from
 * the last failure of the shared or the write connection (commands only see "max retries").
 */
export function connectionProblem(err?: unknown): string | null {
  const direct = tlsProblem(err);
  if (direct) return direct;
  for (const holder of [readHolder.value, writeHolder.value]) {
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

/** Whether REDIS_URL names a Redis Cluster node: `INFO cluster` answers `cluster_enabled:1`. */
export async function isClusterMode(): Promise<boolean> {
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

/** REDIS_URL's node first, then REDIS_CLUSTER_NODES (duplicates left out). */
export function clusterSeeds(): { host: string; port: number }[] {
  const env = getEnv();
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

/** The Cluster client's options: every node connection as for a single server (TLS, user, password). */
export function clusterOptions(nodeOptions: RedisOptions, name: string): ClusterOptions {
  // The Cluster client re-sends a command failed by "Connection is closed" (its reply may have
  // been lost) after retryDelayOnFailover: never on the write connection (writeConnectionOptions).
  const resend = nodeOptions.autoResendUnfulfilledCommands !== false;
  const url = new URL(getEnv().REDIS_URL);
  return {
    scaleReads: "master",
    // MOVED/ASK followed at most this many times per command: slots move only while resharding.
    maxRedirections: 5,
    enableReadyCheck: true,
    retryDelayOnFailover: resend ? 200 : 0,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2000,
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

function cachedCluster(slot: typeof clusterHolder, nodeOptions: () => RedisOptions, name: string): Cluster {
  const seeds = clusterSeeds();
  const id = seedsId(seeds);
  const holder = slot.value;
  if (holder && holder.seeds === id && holder.client.status !== "end") return holder.client;
  if (holder) holder.client.disconnect();
  const client = new Cluster(seeds, clusterOptions(nodeOptions(), name));
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

/** getConnection(), after checking that the server is one we support. */
export async function connectionForRequest(): Promise<RedisConnection> {
  await redisForRequest();
  return getConnection();
}

/** getWriteConnection(), after checking that the server is one we support. */
export async function writeConnectionForRequest(): Promise<RedisConnection> {
  await redisForRequest();
  return getWriteConnection();
}

/** Close the shared and the write connections, single and cluster (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const holders = [readHolder.value, writeHolder.value, clusterHolder.value, writeClusterHolder.value];
  readHolder.value = undefined;
  writeHolder.value = undefined;
  clusterHolder.value = undefined;
  writeClusterHolder.value = undefined;
  for (const holder of holders) if (holder) await holder.client.quit().catch(() => holder.client.disconnect());
}
