import { z } from "zod";
import { processState } from "@/lib/runtime/state";

/**
 * Environment, validated at first use (server start), never at build time:
 * `npm run build` must work with no Redis and no variables.
 */
const optional = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

/** `host:port`, `[ipv6]:port`. */
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;

export interface NodeAddress {
  host: string;
  port: number;
}

const nodeList = z
  .string()
  .default("")
  .transform((v, ctx): NodeAddress[] => {
    const out: NodeAddress[] = [];
    for (const part of v.split(",").map((p) => p.trim())) {
      if (!part) continue;
      const m = HOST_PORT.exec(part);
      const port = Number(m?.[2]);
      if (!m || port < 1 || port > 65535) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not host:port` });
        return z.NEVER;
      }
      out.push({ host: m[1]!.replace(/^\[|\]$/g, ""), port });
    }
    return out;
  });

/**
 * A Sentinel deployment named by `redis+sentinel://[user:pass@]host:26379,host2:26379/mymaster`
 * (`rediss+sentinel://` for TLS to the sentinels and the data nodes). The user and password are
 * the data nodes' (the sentinels' are REDIS_SENTINEL_USERNAME / REDIS_SENTINEL_PASSWORD).
 */
export interface SentinelTarget {
  sentinels: NodeAddress[];
  /** The master's name in the sentinels' configuration. */
  name: string;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}

const SENTINEL_URL = /^(rediss?)\+sentinel:\/\/(?:([^@/]*)@)?([^/]+)\/([^/?#]+)(?:\/(\d+))?\/?$/;

/** The parts of a `redis+sentinel://` URL, or a reason it is not one; null for any other URL. */
export function parseSentinelUrl(url: string): SentinelTarget | string | null {
  if (!/^rediss?\+sentinel:/.test(url)) return null;
  const m = SENTINEL_URL.exec(url);
  if (!m) return "must look like redis+sentinel://[user:password@]host:26379[,host:port...]/<master name>[/<db>]";
  const sentinels: NodeAddress[] = [];
  for (const part of m[3]!.split(",").map((p) => p.trim())) {
    const hp = HOST_PORT.exec(part) ?? HOST_PORT.exec(`${part}:26379`);
    const port = Number(hp?.[2]);
    if (!hp || port < 1 || port > 65535) return `"${part}" is not a sentinel host:port`;
    sentinels.push({ host: hp[1]!.replace(/^\[|\]$/g, ""), port });
  }
  const [user, pass] = m[2] === undefined ? [] : m[2].split(/:(.*)/s, 2);
  const decode = (v: string | undefined) => (v ? decodeURIComponent(v) : undefined);
  return {
    sentinels,
    name: decodeURIComponent(m[4]!),
    username: decode(user),
    password: decode(pass),
    db: Number(m[5] ?? 0),
    tls: m[1] === "rediss",
  };
}

/** Whether REDIS_URL asks for TLS (`rediss://` or `rediss+sentinel://`). */
export function urlWantsTls(url: string): boolean {
  return /^rediss(\+sentinel)?:\/\//.test(url);
}

const envSchema = z
  .object({
    REDIS_URL: z
      .string()
      .default("redis://127.0.0.1:6379")
      .superRefine((v, ctx) => {
        const sentinel = parseSentinelUrl(v);
        if (typeof sentinel === "string") ctx.addIssue({ code: "custom", message: sentinel });
        else if (!sentinel && !/^rediss?:\/\//.test(v)) {
          ctx.addIssue({
            code: "custom",
            message: "must start with redis://, rediss://, redis+sentinel:// or rediss+sentinel://",
          });
        }
      }),
    /** The sentinels' own user and password (Sentinel's `requirepass`/ACL), when they have one. */
    REDIS_SENTINEL_USERNAME: optional,
    REDIS_SENTINEL_PASSWORD: optional,
    /**
     * `replica`: read-only requests read from replicas (a cluster's replicas of each slot, a
     * Sentinel deployment's replica); writes and the worker always use the masters.
     */
    REDIS_READ_FROM: z.enum(["master", "replica"]).default("master"),
    /** More seeds of a Redis Cluster (comma-separated host:port), besides REDIS_URL's node; ignored on a single server. */
    REDIS_CLUSTER_NODES: nodeList,
    STREAMSCOPE_PREFIX: z.string().min(1).default("streamscope:"),
    STREAMSCOPE_CONFIG: z.string().default("./streamscope.config.json"),
    WORKER: z.enum(["on", "off"]).default("on"),
    /** SCAN MATCH limiting the keys the worker's jobs look at (a shared Redis: e.g. `orders_*`). */
    WORKER_MATCH: z.string().min(1).default("*"),
    WORKER_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(15_000),
    /** Entries of authenticated actions the audit trail keeps (anonymous refusals: a tenth, at least 1,000). */
    AUDIT_MAXLEN: z.coerce.number().int().min(1000).max(10_000_000).default(100_000),
    /**
     * How long one Redis command may take before the request answers 503 (connection options).
     * At most 20 s: a call re-sent after a lost reply must find its record (kept 60 s, lib/redis/lua.ts).
     */
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(10_000),
    /** TLS for `rediss://` (files read once, lib/redis/tls.ts): a private CA, a client certificate and key, a server name. */
    REDIS_TLS_CA_FILE: optional,
    REDIS_TLS_CERT_FILE: optional,
    REDIS_TLS_KEY_FILE: optional,
    REDIS_TLS_SERVERNAME: optional,
    REDIS_TLS_INSECURE_SKIP_VERIFY: z
      .enum(["0", "1", ""])
      .default("")
      .transform((v) => v === "1"),
    /** Field values longer than this are cut in list answers (entries, search, tail, pending with fields). */
    FIELD_VALUE_LIMIT_BYTES: z.coerce.number().int().min(256).max(16_777_216).default(16_384),
    /** Bytes one list answer may carry; a fuller page stops early and hands out `next`. */
    ANSWER_LIMIT_BYTES: z.coerce.number().int().min(65_536).max(67_108_864).default(1_048_576),
    /**
     * Groups with more consumers than this are not read with XINFO CONSUMERS (one call over a
     * group of 100,000 consumers blocks Redis for tens of ms): only the consumers owning pending
     * messages are listed, from a bounded walk of the pending list (lib/streams/consumers.ts).
     */
    CONSUMER_LIST_CAP: z.coerce.number().int().min(1).max(100_000).default(1000),
    /**
     * How long an answer of a polled read (overview, stream list, stream and group pages, alerts,
     * worker status) is reused for identical requests of the same scope (lib/runtime/shared-read.ts); 0 turns reuse off.
     */
    READ_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOSTNAME: z.string().default("127.0.0.1"),
  })
  .superRefine((env, ctx) => {
    const tlsVars = ["REDIS_TLS_CA_FILE", "REDIS_TLS_CERT_FILE", "REDIS_TLS_KEY_FILE", "REDIS_TLS_SERVERNAME"] as const;
    const given: string[] = tlsVars.filter((k) => env[k] !== undefined);
    if (env.REDIS_TLS_INSECURE_SKIP_VERIFY) given.push("REDIS_TLS_INSECURE_SKIP_VERIFY");
    if (given.length > 0 && !urlWantsTls(env.REDIS_URL)) {
      ctx.addIssue({
        code: "custom",
        path: [given[0]!],
        message: "only with a rediss:// REDIS_URL (TLS; rediss+sentinel:// for Sentinel)",
      });
    }
    for (const name of ["REDIS_SENTINEL_USERNAME", "REDIS_SENTINEL_PASSWORD"] as const) {
      if (env[name] !== undefined && !parseSentinelUrl(env.REDIS_URL)) {
        ctx.addIssue({ code: "custom", path: [name], message: "only with a redis+sentinel:// REDIS_URL" });
      }
    }
    if ((env.REDIS_TLS_CERT_FILE === undefined) !== (env.REDIS_TLS_KEY_FILE === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_TLS_CERT_FILE"],
        message: "REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

const cached = processState<Env | undefined>("env", () => undefined);

export function getEnv(): Env {
  if (cached.value) return cached.value;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  cached.value = parsed.data;
  return parsed.data;
}
