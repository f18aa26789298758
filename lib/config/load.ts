import "server-only";
import { readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { configFileSchema, type ConfigFile } from "@/lib/contract/config";
import { processState } from "@/lib/runtime/state";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses config JSON text; errors name the offending key path. */
export function parseConfigText(text: string, source = "config"): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues
      .slice(0, 5)
      .map((i) => {
        const path = i.path.join(".");
        if (i.code === "unrecognized_keys") {
          const keys = (i as z.core.$ZodIssueUnrecognizedKeys).keys.join(", ");
          return `unknown key ${path ? `${path}.` : ""}${keys}`;
        }
        return `${path || "(root)"}: ${i.message}`;
      })
      .join("; ");
    throw new ConfigError(`${source}: ${first}`);
  }
  return parsed.data;
}

const fileConfig = processState<{ path: string; config: ConfigFile } | undefined>("config-file", () => undefined);

/** The config file named by STREAMSCOPE_CONFIG (a missing default file means "no file"). */
export function getFileConfig(): ConfigFile {
  const path = resolve(getEnv().STREAMSCOPE_CONFIG);
  const cached = fileConfig.value;
  if (cached && cached.path === path) return cached.config;
  let config: ConfigFile;
  if (!existsSync(path)) {
    if (process.env.STREAMSCOPE_CONFIG) throw new ConfigError(`STREAMSCOPE_CONFIG names ${path}, which does not exist`);
    config = configFileSchema.parse({});
  } else {
    config = parseConfigText(readFileSync(path, "utf8"), path);
  }
  fileConfig.value = { path, config };
  return config;
}

/** The config file's JSON as written (no defaults filled), to tell file values from defaults. */
export function getRawFileConfig(): Record<string, unknown> {
  const path = resolve(getEnv().STREAMSCOPE_CONFIG);
  if (!existsSync(path)) return {};
  try {
    const json: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
