import { z } from "zod";

/**
 * Environment, validated at first use (server start), never at build time:
 * `npm run build` must work with no Redis and no variables.
 */
const envSchema = z.object({
  REDIS_URL: z
    .string()
    .default("redis://127.0.0.1:6379")
    .refine((v) => /^rediss?:\/\//.test(v), "must start with redis:// or rediss://"),
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
   * At most 20 s: a call re-sent after a lost reply must find its record (kept 60 s, lib/actions/lua.ts).
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(10_000),
  /**
   * Groups with more consumers than this are not read with XINFO CONSUMERS (one call over a
   * group of 100,000 consumers blocks Redis for tens of ms): only the consumers owning pending
   * messages are listed, from the XPENDING summary (lib/streams/consumers.ts).
   */
  CONSUMER_LIST_CAP: z.coerce.number().int().min(1).max(100_000).default(1000),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("127.0.0.1"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${issues}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change the environment between suites. */
export function resetEnvCache(): void {
  cached = undefined;
}
