/** Shaping for the alert banner and the alerts page (pure; tests/unit/alerts-ui-data.test.ts). */
import { isLoud, type Alert } from "@/lib/contract/alerts";
import { formatNumber } from "@/lib/shared/format";

export function loudCount(alerts: readonly Alert[], now: number): number {
  return alerts.filter((a) => isLoud(a, now)).length;
}

/** `more`: the answer left alerts out, so there are at least `n`. */
export function bannerText(n: number, more = false): string {
  return `${formatNumber(n)}${more ? "+" : ""} alert${n === 1 && !more ? "" : "s"} firing`;
}

/** The line under a section whose alerts the answer did not all list; null when it listed them all. */
export function omittedText(shown: number, total: number, what: "firing" | "resolved"): string | null {
  if (shown >= total) return null;
  return what === "firing"
    ? `Showing the ${formatNumber(shown)} most severe of ${formatNumber(total)} firing alerts.`
    : `Showing ${formatNumber(shown)} of ${formatNumber(total)} resolved alerts.`;
}

export interface AlertSections {
  firing: Alert[];
  resolved: Alert[];
}

/** Firing first (critical, then warning, then info; newest first), resolved newest first, at most `maxResolved`. */
export function splitAlerts(alerts: readonly Alert[], maxResolved = 100): AlertSections {
  const order = { critical: 0, warning: 1, info: 2 } as const;
  const firing = alerts
    .filter((a) => a.state === "firing")
    .sort((a, b) => order[a.severity] - order[b.severity] || b.firstSeen - a.firstSeen);
  const resolved = alerts
    .filter((a) => a.state === "resolved")
    .sort((a, b) => (b.resolvedAt ?? b.lastSeen) - (a.resolvedAt ?? a.lastSeen))
    .slice(0, maxResolved);
  return { firing, resolved };
}

/** "long-pending on orders / g" : the words used in control names. */
export function alertSubject(a: Pick<Alert, "rule" | "stream" | "group" | "consumer">): string {
  return `${a.rule} on ${a.stream}${a.group !== null ? ` / ${a.group}` : ""}${a.consumer !== null ? ` / ${a.consumer}` : ""}`;
}

export function linkLabel(a: Pick<Alert, "group">): string {
  return a.group !== null ? "Open pending messages" : "Open stream";
}

export const SEVERITY_TONE = { critical: "bad", warning: "warn", info: "info" } as const;
