import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type {
  EditableSection,
  EffectiveSettings,
  SettingSource,
  SettingsResponse,
  SettingsUpdate,
} from "@/lib/contract/settings";
import { EDITABLE_SECTION_NAMES } from "@/lib/contract/settings";
import { assertTimeZone } from "@/lib/shared/family-periods";
import { LuaScript } from "@/lib/redis/lua";
import { getFileConfig, getRawFileConfig } from "./load";
import {
  alertsSchema,
  familySchema,
  groupRuleSchema,
  historySchema,
  workerSettingsSchema,
} from "@/lib/contract/config";
import {
  historySettingsOf,
  invalidateSettingsCache,
  loadSettings,
  SETTINGS_KEY,
  workerSettingsOf,
  type Settings,
} from "./settings";
import { isMaskedWebhookUrl, maskWebhookUrl } from "@/lib/contract/webhook-address";

const timeZoneOk = (tz: string) => {
  try {
    assertTimeZone(tz);
    return true;
  } catch {
    return false;
  }
};

const editableFamily = familySchema.refine((f) => timeZoneOk(f.timeZone), {
  message: "unknown time zone",
  path: ["timeZone"],
});

/** What a PUT may set: the editable sections only (auth never), strict, each validated whole. */
export const settingsUpdateSchema = z.strictObject({
  set: z
    .strictObject({
      families: z.array(editableFamily).max(500).optional(),
      groups: z.array(groupRuleSchema).max(500).optional(),
      alerts: alertsSchema.optional(),
      history: historySchema.optional(),
      worker: workerSettingsSchema.optional(),
    })
    .optional(),
  reset: z.array(z.enum(EDITABLE_SECTION_NAMES as [EditableSection, ...EditableSection[]])).optional(),
});

/** A zod error as "key.path: message", naming the offending key first. */
export function describeSettingsError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = i.path.filter((p) => p !== "set").join(".");
      if (i.code === "unrecognized_keys") {
        const keys = (i as z.core.$ZodIssueUnrecognizedKeys).keys;
        if (keys.includes("auth"))
          return "auth: not editable here (auth comes from the config file and environment only)";
        return `unknown key ${keys.map((k) => (path ? `${path}.${k}` : k)).join(", ")}`;
      }
      return `${path || "(body)"}: ${i.message}`;
    })
    .join("; ");
}

export function parseSettingsUpdate(body: unknown): z.infer<typeof settingsUpdateSchema> {
  const parsed = settingsUpdateSchema.safeParse(body);
  if (!parsed.success) throw badRequest(`Invalid settings: ${describeSettingsError(parsed.error)}`);
  return parsed.data;
}

async function readSavedRaw(redis: RedisConnection): Promise<{ text: string; json: Record<string, unknown> }> {
  const text = (await redis.get(SETTINGS_KEY())) ?? "";
  if (!text) return { text, json: {} };
  try {
    const json: unknown = JSON.parse(text);
    return {
      text,
      json: typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {},
    };
  } catch {
    return { text, json: {} };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export async function getEffectiveSettings(redis: RedisConnection): Promise<SettingsResponse> {
  const [settings, saved] = await Promise.all([loadSettings(redis), readSavedRaw(redis)]);
  const file = getRawFileConfig();
  const effective: EffectiveSettings = {
    families: settings.families,
    groups: settings.groups,
    alerts: {
      ...settings.alerts,
      webhooks: settings.alerts.webhooks.map((w) => ({ ...w, url: maskWebhookUrl(w.url) })),
    },
    history: historySettingsOf(settings),
    worker: workerSettingsOf(settings),
  };
  const sections = {} as Record<EditableSection, SettingSource>;
  const sources: Record<string, SettingSource> = {};
  for (const section of EDITABLE_SECTION_NAMES) {
    const from: SettingSource =
      section in saved.json && settings[section] !== undefined ? "saved" : section in file ? "file" : "default";
    sections[section] = from;
    const value = effective[section];
    if (Array.isArray(value)) {
      sources[section] = from;
      continue;
    }
    const layer = from === "saved" ? saved.json[section] : from === "file" ? file[section] : undefined;
    for (const field of Object.keys(value)) {
      sources[`${section}.${field}`] = isObject(layer) && field in layer ? from : "default";
    }
  }
  return { settings: effective, sections, sources };
}

/** Sets the saved JSON only if nobody changed it since we read it. */
const COMPARE_AND_SET = new LuaScript(
  "settings-compare-and-set",
  `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`,
);

/**
 * Webhook URLs are never read back, only replaced: a webhook sent with its masked URL keeps the
 * stored URL with that mask (the one at the same position first). allowPrivateWebhooks comes
 * from the config file only, so a saved alerts section carries the file's value.
 */
function restoreWebhookSecrets(body: unknown, current: Settings): unknown {
  if (!isObject(body) || !isObject(body.set) || !isObject(body.set.alerts)) return body;
  const alerts = body.set.alerts;
  const fileAllows = getFileConfig().alerts.allowPrivateWebhooks;
  if ("allowPrivateWebhooks" in alerts && alerts.allowPrivateWebhooks !== (fileAllows ?? false)) {
    throw badRequest("Invalid settings: alerts.allowPrivateWebhooks: set in the config file only");
  }
  const { allowPrivateWebhooks: _drop, ...rest } = alerts;
  void _drop;
  const stored = current.alerts.webhooks;
  const used = new Set<number>();
  const webhooks = Array.isArray(rest.webhooks)
    ? rest.webhooks.map((w: unknown, i) => {
        if (!isObject(w) || typeof w.url !== "string" || !isMaskedWebhookUrl(w.url)) return w;
        const masked = w.url;
        const matches = (j: number) =>
          !used.has(j) && stored[j] !== undefined && maskWebhookUrl(stored[j].url) === masked;
        const j = matches(i) ? i : stored.findIndex((_s, k) => matches(k));
        if (j < 0)
          throw badRequest(
            `Invalid settings: alerts.webhooks.${i}.url: ${masked} is a masked URL matching no stored webhook; type the full URL`,
          );
        used.add(j);
        return { ...w, url: stored[j]!.url };
      })
    : rest.webhooks;
  return {
    ...body,
    set: {
      ...body.set,
      alerts: {
        ...rest,
        ...(webhooks !== undefined ? { webhooks } : {}),
        ...(fileAllows !== undefined ? { allowPrivateWebhooks: fileAllows } : {}),
      },
    },
  };
}

/** Saves edited sections (each replaces its saved section) and drops reset ones; auth is never saved. */
export async function updateSettings(redis: RedisConnection, rawBody: unknown): Promise<SettingsResponse> {
  const body = restoreWebhookSecrets(rawBody, await loadSettings(redis));
  const parsed = parseSettingsUpdate(body);
  // Saved as written (validated), so that a field left out keeps showing "default" as its source.
  const update = body as SettingsUpdate;
  for (let attempt = 0; attempt < 10; attempt++) {
    const saved = await readSavedRaw(redis);
    const next: Record<string, unknown> = {};
    for (const section of EDITABLE_SECTION_NAMES) if (section in saved.json) next[section] = saved.json[section];
    for (const section of parsed.reset ?? []) delete next[section];
    for (const [section, value] of Object.entries(parsed.set ?? {})) {
      if (value !== undefined) next[section] = (update.set as Record<string, unknown>)[section];
    }
    const text = Object.keys(next).length ? JSON.stringify(next) : "";
    if ((await COMPARE_AND_SET.run(redis, [SETTINGS_KEY()], [saved.text, text])) === 1) {
      invalidateSettingsCache();
      return getEffectiveSettings(redis);
    }
  }
  throw badRequest("Settings changed concurrently too often; reload and try again");
}
