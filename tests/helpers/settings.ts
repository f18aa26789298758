import { configFileSchema } from "@/lib/contract/config";
import type { Settings } from "@/lib/config/settings";
import { resetProcessState } from "@/lib/runtime/state";
import { uniquePrefix } from "./redis";

/** Settings as the loader would produce them from a config file with these sections. */
export function makeSettings(input: Record<string, unknown> = {}): Settings {
  const { auth: _auth, ...rest } = configFileSchema.parse(input);
  void _auth;
  return rest;
}

/** Gives this test file its own app prefix (alert store, history keys). */
export function useOwnAppPrefix(name: string): string {
  const prefix = `${uniquePrefix(name)}app:`;
  process.env.STREAMSCOPE_PREFIX = prefix;
  resetProcessState();
  return prefix;
}
