import type { Alert, AlertRule } from "@/lib/contract/alerts";
import type { FamilyRetentionResponse } from "@/lib/contract/families";
import { formatBytes, formatDuration, formatNumber } from "@/lib/shared/format";

/** The alert rules about a stream's expiry: what the retention panel gathers for a family. */
export const RETENTION_ALERT_RULES: readonly AlertRule[] = ["stream-expiring", "family-no-ttl"];

export interface RetentionLine {
  key: string;
  text: string;
}

export interface MemoryLine {
  key: string;
  bytes: string;
  /** Share of the family's memory, "42%" (empty when unknown). */
  share: string;
}

export interface RetentionText {
  summary: string;
  noTtl: RetentionLine[];
  atRisk: RetentionLine[];
  producerCreated: RetentionLine[];
  memory: MemoryLine[];
  alerts: string[];
  /** Said when the answer is partial: capped, or the stream index still discovering. */
  notes: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** The retention panel's text, shaped from the answer and the firing alerts (plain, for unit tests). */
export function retentionText(r: FamilyRetentionResponse, alerts: readonly Alert[] = []): RetentionText {
  const noTtl = r.members.filter((m) => m.noTtl);
  const atRisk = r.members
    .filter((m) => m.atRisk)
    .sort((a, b) => (a.ttlMs ?? 0) - (b.ttlMs ?? 0))
    .map((m) => ({
      key: m.key,
      text: `expires in ${formatDuration(m.ttlMs)} with ${formatNumber(m.unprocessed)} unprocessed`,
    }));
  const producerCreated = r.members
    .filter((m) => m.producerCreated)
    .map((m) => ({
      key: m.key,
      text: r.configured
        ? "created by a producer before the worker: no TTL, rotation never set one up"
        : "created by a producer without a TTL (the family is not configured, so the worker never sets one)",
    }));
  const total = r.memoryBytes;
  const memory = [...r.members]
    .sort((a, b) => (b.memoryBytes ?? -1) - (a.memoryBytes ?? -1))
    .map((m) => ({
      key: m.key,
      bytes: formatBytes(m.memoryBytes),
      share: total && m.memoryBytes !== null ? `${Math.round((m.memoryBytes / total) * 100)}%` : "",
    }));
  const keys = new Set(r.members.map((m) => m.key));
  const related = alerts.filter((a) => keys.has(a.stream) && RETENTION_ALERT_RULES.includes(a.rule));
  const summary = [
    plural(r.memberCount, "member"),
    `${formatNumber(noTtl.length)} without TTL`,
    `${formatNumber(atRisk.length)} at risk`,
    `memory ${formatBytes(total)}`,
  ].join(", ");
  const notes: string[] = [];
  if (r.capped)
    notes.push(`Showing the newest ${formatNumber(r.members.length)} of ${formatNumber(r.memberCount)} members.`);
  if (!r.complete) notes.push("Still discovering streams: some members may be missing.");
  return {
    summary,
    noTtl: noTtl.map((m) => ({ key: m.key, text: "no TTL: never expires" })),
    atRisk,
    producerCreated,
    memory,
    alerts: related.map((a) => a.message),
    notes,
  };
}
