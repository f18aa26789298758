/** Pure parsing of `INFO server` and feature detection; no connection here so tests call it directly. */
export interface ServerInfo {
  version: string;
  flavor: "redis" | "valkey";
  mode: string;
  major: number;
  minor: number;
  patch: number;
  features: ServerFeatures;
}

export interface ServerFeatures {
  /** XINFO CONSUMERS reports `inactive` (7.2+). */
  consumerInactive: boolean;
  /** XACKDEL, XDELEX, KEEPREF/DELREF/ACKED options (Redis 8.2+). */
  ackDel: boolean;
  /** Lag no longer miscounted after XTRIM (7.2.7 / 7.4.2 / 8.0+). */
  lagAfterTrimFixed: boolean;
}

export const MIN_SUPPORTED = { major: 7, minor: 0 } as const;

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

function atLeast(v: [number, number, number], major: number, minor: number, patch = 0): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

export function serverInfoFromInfo(text: string): ServerInfo {
  const info = parseInfo(text);
  const valkey = info.valkey_version;
  const flavor = valkey ? "valkey" : "redis";
  const version = valkey ?? info.redis_version ?? "0.0.0";
  // Valkey reports its own version; its stream behaviour matches the Redis 7.2 line.
  const compat = versionParts(valkey ? (info.redis_version ?? "7.2.4") : version);
  const [major, minor, patch] = versionParts(version);
  return {
    version,
    flavor,
    mode: info.redis_mode ?? "standalone",
    major,
    minor,
    patch,
    features: {
      consumerInactive: atLeast(compat, 7, 2),
      ackDel: flavor === "redis" && atLeast(compat, 8, 2),
      lagAfterTrimFixed:
        atLeast(compat, 8, 0) ||
        (compat[0] === 7 && compat[1] === 4 && compat[2] >= 2) ||
        (compat[0] === 7 && compat[1] === 2 && compat[2] >= 7),
    },
  };
}

export function isSupported(info: ServerInfo): boolean {
  if (info.flavor === "valkey") return info.major >= 7 && (info.major > 7 || info.minor >= 2);
  return info.major > MIN_SUPPORTED.major || (info.major === MIN_SUPPORTED.major && info.minor >= MIN_SUPPORTED.minor);
}
