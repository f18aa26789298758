import { beforeAll } from "vitest";
import { configFileSchema } from "@/lib/contract/config";
import type { Settings } from "@/lib/config/settings";
import { resetProcessState } from "@/lib/runtime/state";
import { uniquePrefix } from "./redis";

/** Gives this test file its own app prefix (worker lock, tick history, settings). */
export function withAppPrefix(name: string): { appPrefix: () => string } {
  let prefix = "";
  beforeAll(() => {
    prefix = uniquePrefix(`app-${name}`);
    process.env.STREAMSCOPE_PREFIX = prefix;
    resetProcessState();
  });
  return { appPrefix: () => prefix };
}

/** Full settings from a partial config (defaults filled the way the file loader fills them). */
export function settingsFrom(partial: Record<string, unknown>): Settings {
  const { auth: _auth, ...rest } = configFileSchema.parse(partial);
  void _auth;
  return rest;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
