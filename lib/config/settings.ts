import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { EDITABLE_SECTION_NAMES } from "@/lib/contract/settings";
import { log } from "@/lib/log";
import { appKey } from "@/lib/redis/app-keys";
import { processState } from "@/lib/runtime/state";
import { getFileConfig } from "./load";
import { resolveGroupRule } from "./resolve";
import {
  configFileSchema,
  historySchema,
  workerSettingsSchema,
  type ConfigFile,
  type HistorySettings,
  type ResolvedGroupRule,
  type WorkerSettings,
} from "@/lib/contract/config";

/**
 * Effective run-time settings: built-in defaults, overridden by the config file, overridden by
 * edits saved in Redis (`<prefix>settings`, a JSON object of top-level sections). Auth never
 * comes from Redis. If the saved edits vanish, the file's values apply again.
 */
export type Settings = Omit<ConfigFile, "auth">;

export const SETTINGS_KEY = () => appKey("settings");

const CACHE_MS = 2000;
const cached = processState<{ at: number; value: Promise<Settings> } | undefined>("settings", () => undefined);

export async function readSavedEdits(redis: RedisConnection): Promise<Partial<Settings>> {
  const raw = await redis.get(SETTINGS_KEY());
  if (!raw) return {};
  try {
    const parsed = configFileSchema.partial().omit({ auth: true }).safeParse(JSON.parse(raw));
    if (parsed.success) {
      const out: Partial<Settings> = {};
      const saved = JSON.parse(raw) as Record<string, unknown>;
      for (const section of EDITABLE_SECTION_NAMES) {
        if (section in saved && parsed.data[section] !== undefined)
          (out as Record<string, unknown>)[section] = parsed.data[section];
      }
      return out;
    }
    log.warn("saved settings in Redis are invalid; using the config file's values");
  } catch {
    log.warn("saved settings in Redis are not JSON; using the config file's values");
  }
  return {};
}

export async function loadSettings(redis: RedisConnection): Promise<Settings> {
  const file = getFileConfig();
  const edits = await readSavedEdits(redis);
  const { auth: _auth, ...fromFile } = file;
  void _auth;
  return { ...fromFile, ...edits };
}

/** Settings with a short cache, for hot paths (every request resolving a group rule). */
export function getSettings(redis: RedisConnection): Promise<Settings> {
  const now = Date.now();
  const hit = cached.value;
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = loadSettings(redis);
  cached.value = { at: now, value };
  value.catch(() => {
    if (cached.value?.value === value) cached.value = undefined;
  });
  return value;
}

export function invalidateSettingsCache(): void {
  cached.value = undefined;
}

export async function getGroupRule(redis: RedisConnection, stream: string, group: string): Promise<ResolvedGroupRule> {
  const settings = await getSettings(redis);
  return resolveGroupRule(settings.groups, stream, group);
}

/** The worker section with its defaults filled in. */
export function workerSettingsOf(settings: Pick<Settings, "worker">): WorkerSettings {
  return workerSettingsSchema.parse(settings.worker ?? {});
}

/** The history section with its defaults filled in. */
export function historySettingsOf(settings: Pick<Settings, "history">): HistorySettings {
  return historySchema.parse(settings.history ?? {});
}
