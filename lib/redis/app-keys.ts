import { getEnv } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { isCluster, type RedisConnection } from "./connection";
import { hashTagOf } from "./slots";

/** Keys the app itself owns live under STREAMSCOPE_PREFIX and are hidden from stream lists. */
export function appKey(...parts: string[]): string {
  return getEnv().STREAMSCOPE_PREFIX + parts.join(":");
}

/**
 * A key of a set of the app's keys that one MULTI or script touches together (the alert store's
 * records, resolved and silences). On a single server (or without a connection) it is
 * `appKey(set, ...parts)`, the name it always had. On a Redis Cluster the set's name is a hash tag,
 * `<prefix>{<set>}:<parts>`, so that the whole set is in one slot; a prefix with its own hash tag
 * already puts every app key in one slot and is kept as it is.
 */
export function appSetKey(redis: RedisConnection | undefined, set: string, ...parts: string[]): string {
  const prefix = getEnv().STREAMSCOPE_PREFIX;
  if (!redis || !isCluster(redis) || hashTagOf(prefix) !== null) return appKey(set, ...parts);
  return `${prefix}{${set}}:${parts.join(":")}`;
}

export function isAppKey(key: string): boolean {
  return key.startsWith(getEnv().STREAMSCOPE_PREFIX);
}

/**
 * The app's own keys (audit trail, history, settings...) are not streams of the user's: every
 * route and page answers for them exactly as for a missing stream, whoever asks.
 */
export function refuseAppKey(key: unknown): void {
  if (typeof key === "string" && isAppKey(key)) throw notFound(`No stream named "${key}"`);
}
