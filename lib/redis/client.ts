import "server-only";
import Redis, { type RedisOptions } from "ioredis";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { isSupported, probeServer, unsupportedMessage, type ServerInfo } from "./server-info";

/**
 * The one shared Redis connection of the app. Cached on globalThis so that dev hot reload
 * does not leak connections. Blocking work must use `duplicateConnection()` instead.
 */
interface Holder {
  client: Redis;
  url: string;
  info?: Promise<ServerInfo>;
}

const store = globalThis as unknown as { __streamscopeRedis?: Holder };

export function connectionOptions(): RedisOptions {
  return {
    // Fail a command fast while Redis is away instead of queueing it forever.
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 10_000,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 2000),
    reconnectOnError: () => false,
    lazyConnect: false,
  };
}

function createClient(url: string): Redis {
  const client = new Redis(url, { ...connectionOptions(), connectionName: "streamscope" });
  let down = false;
  client.on("error", (err: Error) => {
    if (!down) log.warn({ err: err.message }, "redis connection error");
    down = true;
  });
  client.on("ready", () => {
    if (down) log.info("redis connection restored");
    down = false;
    const holder = store.__streamscopeRedis;
    // The server may have been upgraded or replaced while away: detect its version again.
    if (holder?.client === client) holder.info = undefined;
  });
  return client;
}

export function getRedis(): Redis {
  const url = getEnv().REDIS_URL;
  const holder = store.__streamscopeRedis;
  if (holder && holder.url === url && holder.client.status !== "end") return holder.client;
  if (holder) holder.client.disconnect();
  const client = createClient(url);
  store.__streamscopeRedis = { client, url };
  return client;
}

/** A new connection for blocking commands; the caller must `quit()` it. */
export function duplicateConnection(): Redis {
  return getRedis().duplicate();
}

/** Server flavor, version and features, detected once per connection (again after a reconnect). */
export async function getServerInfo(): Promise<ServerInfo> {
  const client = getRedis();
  const holder = store.__streamscopeRedis!;
  if (!holder.info) {
    holder.info = probeServer(client);
    holder.info.catch(() => {
      if (store.__streamscopeRedis === holder) holder.info = undefined;
    });
  }
  return holder.info;
}

/** The client, after checking that the server is one we support. */
export async function redisForRequest(): Promise<Redis> {
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
  return UNAVAILABLE_PATTERNS.some((p) => p.test(err.message));
}

/** Close the shared connection (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const holder = store.__streamscopeRedis;
  store.__streamscopeRedis = undefined;
  if (holder) await holder.client.quit().catch(() => holder.client.disconnect());
}
