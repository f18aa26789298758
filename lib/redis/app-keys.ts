import { getEnv } from "@/lib/env";

/** Keys the app itself owns live under STREAMSCOPE_PREFIX and are hidden from stream lists. */
export function appKey(...parts: string[]): string {
  return getEnv().STREAMSCOPE_PREFIX + parts.join(":");
}

export function isAppKey(key: string): boolean {
  return key.startsWith(getEnv().STREAMSCOPE_PREFIX);
}
