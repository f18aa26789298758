import { getEnv } from "@/lib/env";
import { notFound } from "@/lib/errors";

/** Keys the app itself owns live under STREAMSCOPE_PREFIX and are hidden from stream lists. */
export function appKey(...parts: string[]): string {
  return getEnv().STREAMSCOPE_PREFIX + parts.join(":");
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
