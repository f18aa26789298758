/**
 * What the server is and what it can do. Features are detected from what the server answers
 * (`COMMAND INFO` of the commands we need, the fields of each XINFO reply), never from its
 * version number: a development build reports 255.255.255 and Valkey numbers its own releases.
 * Parsing is pure so tests call it directly on recorded replies.
 */
export interface ServerInfo {
  /** The server's own version: `valkey_version` on Valkey, `redis_version` otherwise. Display only. */
  version: string;
  flavor: "redis" | "valkey";
  mode: string;
  features: ServerFeatures;
}

export interface ServerFeatures {
  /**
   * The Redis 7.0 stream replies Streamscope relies on (XINFO GROUPS `entries-read`/`lag`,
   * the 3-element XAUTOCLAIM reply, EXPIRE ... NX). Detected by `COMMAND INFO xautoclaim`
   * answering an entry in the 7.0 format (10 elements: tips, key specs, subcommands); 6.2
   * answers 7 elements and older servers no entry at all.
   */
  streams70: boolean;
  /** XACKDEL, XDELEX and KEEPREF/DELREF/ACKED (Redis 8.2+): `COMMAND INFO xackdel` answers an entry. */
  ackDel: boolean;
  /** How the features were found: `command` (COMMAND INFO) or `version` (COMMAND refused by an ACL). */
  detectedBy: "command" | "version";
}

/** The commands asked about with `COMMAND INFO`, in this order. */
export const PROBED_COMMANDS = ["xautoclaim", "xackdel"] as const;

export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

function versionParts(version: string): [number, number, number] {
  const [a, b, c] = version.split(".").map((p) => Number.parseInt(p, 10));
  return [a ?? 0, b ?? 0, c ?? 0];
}

/** A `COMMAND INFO` entry in the 7.0+ format (name, arity, flags, first, last, step, acl, tips, key specs, subcommands). */
function isCommandEntry70(entry: unknown): boolean {
  return Array.isArray(entry) && entry.length >= 10;
}

/**
 * @param infoText the reply of `INFO server`
 * @param commandInfo the reply of `COMMAND INFO xautoclaim xackdel`, or null when the server refused
 *   it (an ACL without `+command|info`): then the 7.0 check falls back to `redis_version` and the
 *   optional features count as absent.
 */
export function detectServer(infoText: string, commandInfo: unknown): ServerInfo {
  const info = parseInfo(infoText);
  const valkey = info.valkey_version;
  const flavor = valkey || info.server_name === "valkey" ? "valkey" : "redis";
  const version = valkey ?? info.redis_version ?? "0.0.0";
  const mode = info.redis_mode ?? info.server_mode ?? "standalone";
  if (!Array.isArray(commandInfo)) {
    const [major] = versionParts(info.redis_version ?? "0.0.0");
    return { version, flavor, mode, features: { streams70: major >= 7, ackDel: false, detectedBy: "version" } };
  }
  const entry = (name: (typeof PROBED_COMMANDS)[number]) => commandInfo[PROBED_COMMANDS.indexOf(name)];
  return {
    version,
    flavor,
    mode,
    features: {
      streams70: isCommandEntry70(entry("xautoclaim")),
      ackDel: Array.isArray(entry("xackdel")),
      detectedBy: "command",
    },
  };
}

/** The two questions asked once per connection; errors other than a refusal propagate. */
export async function probeServer(redis: {
  info(section: "server"): Promise<string>;
  call(command: string, ...args: string[]): Promise<unknown>;
}): Promise<ServerInfo> {
  const [infoText, commandInfo] = await Promise.all([
    redis.info("server"),
    redis.call("COMMAND", "INFO", ...PROBED_COMMANDS).catch((err: unknown) => {
      if (err instanceof Error && /NOPERM|unknown command/i.test(err.message)) return null;
      throw err;
    }),
  ]);
  return detectServer(infoText, commandInfo);
}

export function isSupported(info: ServerInfo): boolean {
  return info.features.streams70;
}

export function unsupportedMessage(info: ServerInfo): string {
  const name = info.flavor === "valkey" ? "Valkey" : "Redis";
  return `${name} ${info.version} is not supported: Streamscope needs Redis 7.0 or newer (or Valkey 7.2+).`;
}
