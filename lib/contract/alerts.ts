/** Alert shapes shared by the alert routes, the store and the browser hooks. */
import { z } from "zod";
import type { DataAge } from "./age";

export const ALERT_RULES = [
  "long-pending",
  "pending-over",
  "lag-over",
  "lag-seconds-over",
  "dead-consumer",
  "stream-expiring",
  "family-no-ttl",
  "dead-letter",
  "poison",
  "consumers-over",
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export type AlertSeverity = "info" | "warning" | "critical";
export const ALERT_STATES = ["firing", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** `GET /api/alerts?state=` query. */
export const alertsQuerySchema = z.object({ state: z.enum(ALERT_STATES).optional() });

export interface Alert {
  id: string;
  rule: AlertRule;
  stream: string;
  /** null for stream-level alerts (expiry, family TTL, dead-letter). */
  group: string | null;
  consumer: string | null;
  state: AlertState;
  severity: AlertSeverity;
  message: string;
  /** Start of the current firing episode (ms since the epoch). */
  firstSeen: number;
  /** Last evaluation that saw the condition. */
  lastSeen: number;
  resolvedAt: number | null;
  silencedUntil: number | null;
  /** Where to look: the group's pending explorer pre-filtered, or the stream page. */
  link: string;
}

/** Alerts one answer lists at most (firing first, most severe first): about 0.5 MiB. */
export const MAX_ALERTS_ANSWER = 1000;

export interface AlertsResponse extends DataAge {
  /** At most MAX_ALERTS_ANSWER: firing first (critical, warning, info), then resolved. */
  alerts: Alert[];
  /** How many the caller may see in all, listed or not. */
  total: { firing: number; resolved: number };
  /** Alerts left out past MAX_ALERTS_ANSWER. */
  omitted: number;
}

/** Longest silence one request may set. */
export const MAX_SILENCE_MS = 30 * 86400_000;

export const alertParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{1,64}$/, "not an alert id") });

/** `POST /api/alerts/{id}/silence`; `forMs` 0 lifts the silence. */
export const silenceRequestSchema = z.strictObject({ forMs: z.number().int().min(0).max(MAX_SILENCE_MS) });
export type SilenceRequest = z.infer<typeof silenceRequestSchema>;

export interface SilenceResponse {
  alert: Alert;
}

export interface EvaluateResponse {
  counts: Record<string, number>;
  notes: string[];
}

export const SILENCE_CHOICES = [
  { label: "15 min", ms: 15 * 60_000 },
  { label: "1 h", ms: 3600_000 },
  { label: "4 h", ms: 4 * 3600_000 },
  { label: "24 h", ms: 86400_000 },
] as const;

/** Firing and not silenced at `now`: what the banner counts. */
export function isLoud(alert: Alert, now: number): boolean {
  return alert.state === "firing" && !(alert.silencedUntil !== null && alert.silencedUntil > now);
}
