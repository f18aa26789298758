import "server-only";
import Redis, { type RedisOptions } from "ioredis";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { isSupported, probeServer, unsupportedMessage, type ServerInfo } from "./server-info";
import { redisTlsOptions, tlsProblem } from "./tls";
import { processState } from "@/lib/runtime/state";

/**
 * The one shared Redis connection of the app, and the one connection for changes
 * (`getWriteRedis()`). Cached on globalThis so that dev hot reload does not leak connections.
 * Blocking work must use `duplicateConnection()` instead.
 */
interface Holder {
  client: Redis;
  url: string;
  info?: Promise<ServerInfo>;
}

const readHolder = processState<Holder | undefined>("redis", () => undefined, { keepOnReset: true });
const writeHolder = processState<Holder | undefined>("redis-write", () => undefined, { keepOnReset: true });

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
    // The server may have been upgraded or replaced while away: detect its version again.
    if (holder?.client === client) holder.info = undefined;
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

/** Close the shared and the write connection (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const holders = [readHolder.value, writeHolder.value];
  readHolder.value = undefined;
  writeHolder.value = undefined;
  for (const holder of holders) if (holder) await holder.client.quit().catch(() => holder.client.disconnect());
}
