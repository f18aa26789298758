/**
 * The config file's shape (see README "Configuration"). Strict: an unknown key or a wrong type
 * is a start-up error naming the key. Shared by the server and the settings form.
 */
import { z } from "zod";
import { webhookUrlProblem } from "./webhook-address";
import { roleSchema } from "@/lib/contract/auth";

export const familyPatternSchema = z
  .string()
  .min(1)
  .refine((p) => /<yyyyMMddHH>|<yyyyMMdd>/.test(p), "pattern must contain <yyyyMMddHH> or <yyyyMMdd>");

export const familySchema = z.strictObject({
  name: z.string().min(1).max(200),
  pattern: familyPatternSchema,
  groups: z.array(z.string().min(1).max(200)).max(50).default([]),
  ttlSeconds: z
    .number()
    .int()
    .positive()
    .max(10 * 365 * 86400)
    .optional(),
  ahead: z.number().int().min(0).max(48).default(1),
  timeZone: z.string().min(1).default("UTC"),
});

export const reclaimPolicySchema = z.enum(["alert", "reassign", "requeue"]);

/** Where a reaped consumer's pending messages go: to a live consumer, or copied back onto the stream. */
export const reapPolicySchema = z.enum(["hand-over", "requeue"]);
export type ReapPolicy = z.infer<typeof reapPolicySchema>;

export const groupRuleSchema = z.strictObject({
  stream: z.string().min(1).default("*"),
  group: z.string().min(1).default("*"),
  stuckAfterMs: z
    .number()
    .int()
    .min(100)
    .max(30 * 86400_000)
    .optional(),
  policy: reclaimPolicySchema.optional(),
  maxDeliveries: z.number().int().min(1).max(1_000_000).optional(),
  deadLetter: z.string().min(1).max(1000).optional(),
  trim: z.boolean().optional(),
  allGroups: z.boolean().optional(),
  /** Consumer that `reassign` claims to; default: the live consumer with the fewest pending. */
  reassignTo: z.string().min(1).max(200).optional(),
  /** The worker reaps consumers inactive this long (hands over their messages, then deletes them); unset: off. */
  reapAfterMs: z
    .number()
    .int()
    .min(1000)
    .max(365 * 86400_000)
    .optional(),
  /** What the reaper does with an idle consumer's pending messages (default hand-over; requeue follows allGroups). */
  reapPolicy: reapPolicySchema.optional(),
});

export const webhookSchema = z.strictObject({
  url: z.url().refine((url) => webhookUrlProblem(url, true) === null, "http or https only"),
  format: z.enum(["json", "slack"]).default("json"),
});

export const alertRuleOverrideSchema = z.strictObject({
  stream: z.string().min(1).default("*"),
  group: z.string().min(1).default("*"),
  pendingOver: z.number().int().min(0).optional(),
  lagOver: z.number().int().min(0).optional(),
  /** Alert when the oldest entry not yet delivered to the group is older than this many seconds. */
  lagSecondsOver: z.number().int().min(0).optional(),
  longPending: z.boolean().optional(),
  deadConsumer: z.boolean().optional(),
  severity: z.enum(["info", "warning", "critical"]).optional(),
  /** Alert when messages arrive in a dead-letter stream matched by the stream glob. */
  deadLetter: z.boolean().optional(),
  /** Alert when the stream expires within this window while it holds unprocessed messages (0 = off). */
  expiringWithinMs: z
    .number()
    .int()
    .min(0)
    .max(30 * 86400_000)
    .optional(),
  /** Alert when a member of a configured family (with ttlSeconds) has no TTL. */
  familyNoTtl: z.boolean().optional(),
  /** Alert when a pending message was delivered more than this many times (default 10). */
  poisonOver: z.number().int().min(1).optional(),
  /** Alert when a group has more than this many consumers, a leak (default 1000). */
  consumersOver: z.number().int().min(1).optional(),
});

export const alertsSchema = z
  .strictObject({
    webhooks: z.array(webhookSchema).max(20).default([]),
    rules: z.array(alertRuleOverrideSchema).max(200).default([]),
    /** Globs naming dead-letter streams, besides the groups' deadLetter targets; default ["*:dlq"]. */
    deadLetterStreams: z.array(z.string().min(1)).max(50).optional(),
    /** Streams looked at per evaluation; the next evaluation continues from the SCAN cursor. */
    maxStreamsPerRun: z.number().int().min(1).max(10_000).optional(),
    /** Allow webhooks to loopback, link-local and private addresses (config file only; default false). */
    allowPrivateWebhooks: z.boolean().optional(),
  })
  .superRefine((alerts, ctx) => {
    alerts.webhooks.forEach((w, i) => {
      const problem = webhookUrlProblem(w.url, alerts.allowPrivateWebhooks === true);
      if (problem) ctx.addIssue({ code: "custom", path: ["webhooks", i, "url"], message: problem });
    });
  });

const secretRef = z.string().min(1);
const streamsScope = z.union([z.string().min(1), z.array(z.string().min(1))]).optional();

export const authSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({ username: z.string().min(1), role: roleSchema, passwordHash: secretRef, streams: streamsScope }),
    )
    .optional(),
  tokens: z
    .array(z.strictObject({ name: z.string().min(1), role: roleSchema, tokenHash: secretRef, streams: streamsScope }))
    .optional(),
  oidc: z
    .strictObject({
      issuer: z.string().min(1),
      clientId: z.string().min(1),
      clientSecret: secretRef,
      rolesClaim: z.string().min(1).default("groups"),
      roles: z.record(z.string(), roleSchema).default({}),
      defaultRole: roleSchema.optional(),
      scopes: z.string().optional(),
    })
    .optional(),
  trustedProxy: z
    .strictObject({
      userHeader: z.string().min(1).default("x-forwarded-user"),
      groupsHeader: z.string().min(1).default("x-forwarded-groups"),
      secretHeader: z.string().min(1).optional(),
      secret: secretRef.optional(),
      addresses: z.array(z.string().min(1)).optional(),
      roles: z.record(z.string(), roleSchema).default({}),
      defaultRole: roleSchema.optional(),
    })
    .optional(),
  metricsToken: secretRef.optional(),
  readOnly: z.boolean().default(false),
  sessionSecret: secretRef.optional(),
  publicUrl: z.string().optional(),
  /** How long a login lasts (default 8 hours). */
  sessionMaxAgeSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86400)
    .optional(),
  /** Extra Host header values the app answers to (besides loopback names and publicUrl's host). */
  allowedHosts: z.array(z.string().min(1)).max(50).optional(),
});

export const historySchema = z.strictObject({
  sampleEveryMs: z.number().int().min(1000).max(3600_000).default(10_000),
  retentionMs: z
    .number()
    .int()
    .min(60_000)
    .max(30 * 86400_000)
    .default(86400_000),
});

export const workerSettingsSchema = z.strictObject({
  guardWindowMs: z.number().int().min(1000).default(600_000),
  guardCapMs: z.number().int().min(1000).default(86400_000),
  reclaimBatch: z.number().int().min(1).max(10_000).default(1000),
  trimBudget: z.number().int().min(1).max(1_000_000).default(100_000),
  /** Streams the reclaim, trim and guard jobs look at per tick (soft cap; the rest next tick). */
  streamsPerTick: z.number().int().min(1).max(100_000).default(2000),
  /** Consumers looked at plus messages handed over by the reap job per tick. */
  reapBudget: z.number().int().min(1).max(1_000_000).default(10_000),
});

export const metricsSettingsSchema = z.strictObject({
  /** Streams read per scrape (a family whole or not at all); the rest are left out and counted. */
  maxStreams: z.number().int().min(1).max(100_000).default(1000),
  /** Per-consumer series (pending, idle); off by default. */
  consumerSeries: z.boolean().default(false),
  /** Consumers with series per scrape when consumerSeries is on; the rest are counted per group. */
  maxConsumerSeries: z.number().int().min(1).max(100_000).default(1000),
  /** How long a scrape's answer is reused for identical scrapes (same scope) on this instance. */
  cacheMs: z.number().int().min(0).max(60_000).default(5000),
});

export const configFileSchema = z.strictObject({
  families: z.array(familySchema).max(500).default([]),
  groups: z.array(groupRuleSchema).max(500).default([]),
  alerts: alertsSchema.default({ webhooks: [], rules: [] }),
  auth: authSchema.optional(),
  history: historySchema.optional(),
  worker: workerSettingsSchema.optional(),
  metrics: metricsSettingsSchema.optional(),
});

export type FamilyConfig = z.infer<typeof familySchema>;
export type GroupRuleConfig = z.infer<typeof groupRuleSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type ReclaimPolicy = z.infer<typeof reclaimPolicySchema>;
export type WorkerSettings = z.infer<typeof workerSettingsSchema>;
export type HistorySettings = z.infer<typeof historySchema>;
export type MetricsSettings = z.infer<typeof metricsSettingsSchema>;

/** The group rule with every field filled in (first matching rule, then defaults). */
export interface ResolvedGroupRule {
  stuckAfterMs: number;
  policy: ReclaimPolicy;
  maxDeliveries: number;
  deadLetter: string;
  trim: boolean;
  allGroups: boolean;
  reassignTo?: string;
  reapAfterMs?: number;
  reapPolicy: ReapPolicy;
  /** Index of the matching rule in `groups`, or null when only defaults applied. */
  matchedRule: number | null;
}

export const GROUP_DEFAULTS: Omit<ResolvedGroupRule, "matchedRule"> = {
  stuckAfterMs: 30_000,
  policy: "alert",
  maxDeliveries: 5,
  deadLetter: "<stream>:dlq",
  trim: false,
  allGroups: false,
  reapPolicy: "hand-over",
};
