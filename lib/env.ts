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

const envSchema = z
  .object({
    REDIS_URL: z
      .string()
      .default("redis://127.0.0.1:6379")
      .refine((v) => /^rediss?:\/\//.test(v), "must start with redis:// or rediss://"),
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
    if (given.length > 0 && !/^rediss:\/\//.test(env.REDIS_URL)) {
      ctx.addIssue({ code: "custom", path: [given[0]!], message: "only with a rediss:// REDIS_URL (TLS)" });
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
