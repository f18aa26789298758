/**
 * Alert rules: pure functions from a stream snapshot (lib/streams/snapshot.ts) and settings to
 * the conditions that hold now. No I/O here; lib/alerts/evaluate.ts gathers and stores.
 */
import { createHash } from "node:crypto";
import type { AlertRule, AlertSeverity } from "@/lib/contract/alerts";
import type { FamilyConfig, GroupRuleConfig } from "@/lib/contract/config";
import { deadLetterTarget } from "@/lib/config/resolve";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { globMatch } from "@/lib/shared/glob";
import { familyMatcher } from "@/lib/shared/families";
import { idToTimeMs, isValidId } from "@/lib/contract/ids";
import { consumerInactiveMs } from "@/lib/streams/xinfo";
import type { z } from "zod";
import type { alertRuleOverrideSchema } from "@/lib/contract/config";
import type { GroupSnapshot, StreamSnapshot } from "@/lib/streams/snapshot";
import { encodeSegment } from "@/lib/contract/segment";

export type AlertRuleOverride = z.infer<typeof alertRuleOverrideSchema>;

export interface AlertThresholds {
  /** null = rule off. */
  pendingOver: number | null;
  lagOver: number | null;
  /** Seconds; null = rule off. */
  lagSecondsOver: number | null;
  longPending: boolean;
  deadConsumer: boolean;
  deadLetter: boolean;
  familyNoTtl: boolean;
  /** 0 = rule off. */
  expiringWithinMs: number;
  /** A pending message delivered more than this many times; null = rule off. */
  poisonOver: number | null;
  /** More consumers than this in a group (a leak); null = rule off. */
  consumersOver: number | null;
  severity: AlertSeverity | null;
}

export const ALERT_DEFAULTS: AlertThresholds = {
  pendingOver: 10_000,
  lagOver: 100_000,
  lagSecondsOver: null,
  longPending: true,
  deadConsumer: true,
  deadLetter: true,
  familyNoTtl: true,
  expiringWithinMs: 10 * 60_000,
  poisonOver: 10,
  consumersOver: 1000,
  severity: null,
};

export const DEFAULT_SEVERITY: Record<AlertRule, AlertSeverity> = {
  "long-pending": "warning",
  "pending-over": "warning",
  "lag-over": "warning",
  "lag-seconds-over": "warning",
  "dead-consumer": "warning",
  "stream-expiring": "critical",
  "family-no-ttl": "warning",
  "dead-letter": "warning",
  poison: "warning",
  "consumers-over": "warning",
};

/** A dead-letter stream counts as "arriving" for this long after its last new entry. */
export const DEAD_LETTER_QUIET_MS = 10 * 60_000;

/** First matching override (stream and group globs) wins; fields it leaves out come from the defaults. */
export function resolveAlertThresholds(
  overrides: readonly AlertRuleOverride[],
  stream: string,
  group: string | null,
): AlertThresholds {
  const rule = overrides.find(
    (r) => globMatch(r.stream, stream) && (group === null ? r.group === "*" : globMatch(r.group, group)),
  );
  return {
    pendingOver: rule?.pendingOver ?? ALERT_DEFAULTS.pendingOver,
    lagOver: rule?.lagOver ?? ALERT_DEFAULTS.lagOver,
    lagSecondsOver: rule?.lagSecondsOver ?? ALERT_DEFAULTS.lagSecondsOver,
    longPending: rule?.longPending ?? ALERT_DEFAULTS.longPending,
    deadConsumer: rule?.deadConsumer ?? ALERT_DEFAULTS.deadConsumer,
    deadLetter: rule?.deadLetter ?? ALERT_DEFAULTS.deadLetter,
    familyNoTtl: rule?.familyNoTtl ?? ALERT_DEFAULTS.familyNoTtl,
    expiringWithinMs: rule?.expiringWithinMs ?? ALERT_DEFAULTS.expiringWithinMs,
    poisonOver: rule?.poisonOver ?? ALERT_DEFAULTS.poisonOver,
    consumersOver: rule?.consumersOver ?? ALERT_DEFAULTS.consumersOver,
    severity: rule?.severity ?? null,
  };
}

export interface Condition {
  id: string;
  rule: AlertRule;
  stream: string;
  group: string | null;
  consumer: string | null;
  severity: AlertSeverity;
  message: string;
  link: string;
  /** The number behind the alert (pending count, lag, idle ms...), for metrics and webhooks. */
  value: number;
}

export function alertId(rule: AlertRule, stream: string, group: string | null, consumer: string | null): string {
  return createHash("sha1")
    .update(JSON.stringify([rule, stream, group, consumer]))
    .digest("hex")
    .slice(0, 20);
}

export function streamLink(stream: string): string {
  return `/streams/${encodeSegment(stream)}`;
}

export function groupLink(
  stream: string,
  group: string,
  filter: { minIdleMs?: number; consumer?: string } = {},
): string {
  const params = new URLSearchParams();
  if (filter.minIdleMs !== undefined) params.set("minIdleMs", String(filter.minIdleMs));
  if (filter.consumer !== undefined) params.set("consumer", filter.consumer);
  const qs = params.toString();
  return `${streamLink(stream)}/groups/${encodeSegment(group)}${qs ? `?${qs}` : ""}`;
}

function condition(c: Omit<Condition, "id" | "severity">, severity: AlertSeverity | null): Condition {
  return { ...c, id: alertId(c.rule, c.stream, c.group, c.consumer), severity: severity ?? DEFAULT_SEVERITY[c.rule] };
}

export function evaluateGroup(stream: string, g: GroupSnapshot, t: AlertThresholds, now: number): Condition[] {
  const out: Condition[] = [];
  const base = { stream, group: g.name, consumer: null };
  if (t.longPending && g.stuck && g.stuck.count > 0) {
    const n = `${formatNumber(g.stuck.count)}${g.stuck.capped ? "+" : ""}`;
    out.push(
      condition(
        {
          ...base,
          rule: "long-pending",
          message: `${n} message${g.stuck.count === 1 ? "" : "s"} pending over ${formatDuration(g.stuckAfterMs)} in group "${g.name}" of "${stream}" (longest idle ${formatDuration(g.stuck.maxIdleMs)})`,
          link: groupLink(stream, g.name, { minIdleMs: g.stuckAfterMs }),
          value: g.stuck.count,
        },
        t.severity,
      ),
    );
  }
  if (t.pendingOver !== null && g.pending > t.pendingOver) {
    out.push(
      condition(
        {
          ...base,
          rule: "pending-over",
          message: `${formatNumber(g.pending)} messages pending in group "${g.name}" of "${stream}" (over ${formatNumber(t.pendingOver)})`,
          link: groupLink(stream, g.name),
          value: g.pending,
        },
        t.severity,
      ),
    );
  }
  if (t.lagOver !== null && g.lag !== null && g.lag > t.lagOver) {
    out.push(
      condition(
        {
          ...base,
          rule: "lag-over",
          message: `Group "${g.name}" of "${stream}" is ${formatNumber(g.lag)} messages behind (over ${formatNumber(t.lagOver)})`,
          link: groupLink(stream, g.name),
          value: g.lag,
        },
        t.severity,
      ),
    );
  }
  if (t.lagSecondsOver !== null && g.lagMs !== undefined && g.lagMs > t.lagSecondsOver * 1000) {
    out.push(
      condition(
        {
          ...base,
          rule: "lag-seconds-over",
          message: `Group "${g.name}" of "${stream}" has not been handed entries ${formatDuration(g.lagMs)} old (lag over ${formatDuration(t.lagSecondsOver * 1000)})`,
          link: groupLink(stream, g.name),
          value: g.lagMs,
        },
        t.severity,
      ),
    );
  }
  if (t.deadConsumer && g.consumers) {
    for (const c of g.consumers) {
      const inactive = consumerInactiveMs(c);
      if (c.pending > 0 && inactive > g.stuckAfterMs) {
        out.push(
          condition(
            {
              ...base,
              consumer: c.name,
              rule: "dead-consumer",
              message: `Consumer "${c.name}" of group "${g.name}" on "${stream}" owns ${formatNumber(c.pending)} pending and ${c.idleMs === null && c.inactiveMs === null ? `its oldest pending message has been idle ${formatDuration(inactive)} (the group has too many consumers to read its activity)` : `has been inactive ${Number.isFinite(inactive) ? formatDuration(inactive) : "since it was created"}`}`,
              link: groupLink(stream, g.name, { consumer: c.name, minIdleMs: g.stuckAfterMs }),
              value: Number.isFinite(inactive) ? inactive : -1,
            },
            t.severity,
          ),
        );
      }
    }
  }
  const poison = g.mostDelivered;
  if (t.poisonOver !== null && poison && poison.deliveries > t.poisonOver) {
    out.push(
      condition(
        {
          ...base,
          rule: "poison",
          message: `Message ${poison.id} of group "${g.name}" on "${stream}" has been delivered ${formatNumber(poison.deliveries)} times (over ${formatNumber(t.poisonOver)}) and is still pending, held by consumer "${poison.consumer}"`,
          link: groupLink(stream, g.name, { consumer: poison.consumer }),
          value: poison.deliveries,
        },
        t.severity,
      ),
    );
  }
  if (t.consumersOver !== null && g.consumerCount > t.consumersOver) {
    out.push(
      condition(
        {
          ...base,
          rule: "consumers-over",
          message: `Group "${g.name}" of "${stream}" has ${formatNumber(g.consumerCount)} consumers (over ${formatNumber(t.consumersOver)}): consumers are leaking (reap the idle ones)`,
          link: groupLink(stream, g.name),
          value: g.consumerCount,
        },
        t.severity,
      ),
    );
  }
  void now;
  return out;
}

/** True when some group has pending or waiting (not yet delivered) messages. */
export function hasUnprocessed(s: StreamSnapshot): boolean {
  return s.groups.some(
    (g) => g.pending > 0 || (g.lag !== null ? g.lag > 0 : s.length > 0 && g.lastDeliveredId !== s.lastGeneratedId),
  );
}

/** Globs that name dead-letter streams: the configured ones (default `*:dlq`) and every group rule's target. */
export function deadLetterGlobs(
  configured: readonly string[] | undefined,
  groupRules: readonly GroupRuleConfig[],
): string[] {
  const globs = new Set(configured ?? ["*:dlq"]);
  for (const r of groupRules) if (r.deadLetter) globs.add(deadLetterTarget(r.deadLetter, "*"));
  return [...globs];
}

export interface DeadLetterSeen {
  entriesAdded: number;
  /** When entries-added last grew (ms). */
  grewAt: number;
}

/** Tracks arrivals into a dead-letter stream from its entries-added counter. */
export function trackDeadLetter(prev: DeadLetterSeen | undefined, s: StreamSnapshot, now: number): DeadLetterSeen {
  const added = s.entriesAdded ?? s.length;
  if (!prev) {
    // First sight: the newest entry's time tells whether something arrived recently.
    const lastAt = isValidId(s.lastGeneratedId) ? Math.min(now, idToTimeMs(s.lastGeneratedId)) : 0;
    return { entriesAdded: added, grewAt: s.length > 0 ? lastAt : 0 };
  }
  return { entriesAdded: added, grewAt: added > prev.entriesAdded ? now : prev.grewAt };
}

export interface StreamRuleContext {
  overrides: readonly AlertRuleOverride[];
  families: readonly FamilyConfig[];
  deadLetterGlobs: readonly string[];
  now: number;
  deadLetter?: DeadLetterSeen;
}

export function evaluateStream(s: StreamSnapshot, ctx: StreamRuleContext): Condition[] {
  const out: Condition[] = [];
  const st = resolveAlertThresholds(ctx.overrides, s.key, null);
  const base = { stream: s.key, group: null, consumer: null, link: streamLink(s.key) };

  if (st.expiringWithinMs > 0 && s.ttlMs !== null && s.ttlMs <= st.expiringWithinMs && hasUnprocessed(s)) {
    const pending = s.groups.reduce((n, g) => n + g.pending, 0);
    out.push(
      condition(
        {
          ...base,
          rule: "stream-expiring",
          message: `"${s.key}" expires in ${formatDuration(s.ttlMs)} with unprocessed messages (${formatNumber(pending)} pending); they are lost when it expires`,
          value: s.ttlMs,
        },
        st.severity,
      ),
    );
  }

  if (st.familyNoTtl && s.ttlMs === null) {
    const family = ctx.families.find((f) => f.ttlSeconds !== undefined && familyMatcher(f.pattern)(s.key));
    if (family) {
      out.push(
        condition(
          {
            ...base,
            rule: "family-no-ttl",
            message: `"${s.key}" belongs to family "${family.name}" but has no TTL: it will never expire (a producer may have recreated it after expiry)`,
            value: 1,
          },
          st.severity,
        ),
      );
    }
  }

  if (st.deadLetter && ctx.deadLetter && ctx.deadLetterGlobs.some((g) => globMatch(g, s.key))) {
    const recent = ctx.deadLetter.grewAt > 0 && ctx.now - ctx.deadLetter.grewAt <= DEAD_LETTER_QUIET_MS;
    if (recent && s.length > 0) {
      out.push(
        condition(
          {
            ...base,
            rule: "dead-letter",
            message: `Messages are arriving in dead-letter stream "${s.key}" (${formatNumber(s.length)} held)`,
            value: s.length,
          },
          st.severity,
        ),
      );
    }
  }

  for (const g of s.groups)
    out.push(...evaluateGroup(s.key, g, resolveAlertThresholds(ctx.overrides, s.key, g.name), ctx.now));
  return out;
}
