/** Chart rows from history points (pure; tests/unit/history-chart-data.test.ts). */
import type { HistoryPoint, HistoryRange, RateSummary } from "@/lib/api/history-types";

export const RANGE_CHOICES: { range: HistoryRange; label: string }[] = [
  { range: "15m", label: "15 min" },
  { range: "1h", label: "1 h" },
  { range: "6h", label: "6 h" },
  { range: "24h", label: "24 h" },
];

export interface ChartRow {
  t: number;
  pending: number | null;
  lag: number | null;
  length: number | null;
  inRate: number | null;
  ackRate: number | null;
  /** Seconds, for a readable axis. */
  oldestPendingS: number | null;
}

const round = (v: number | null, digits = 2) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);

export function toChartRows(points: readonly HistoryPoint[]): ChartRow[] {
  return points.map((p) => ({
    t: p.t,
    pending: p.pending,
    lag: p.lag,
    length: p.length,
    inRate: round(p.inRate),
    ackRate: round(p.ackRate),
    oldestPendingS: p.oldestPendingMs === null ? null : round(p.oldestPendingMs / 1000, 1),
  }));
}

/** Axis tick: HH:MM for ranges up to 6 h, "DD HH:MM" beyond (UTC, as the rest of the UI). */
export function formatTick(t: number, range: HistoryRange): string {
  const iso = new Date(t).toISOString();
  return range === "24h" ? `${iso.slice(8, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

export function formatRate(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (v === 0) return "0/s";
  if (v < 0.1) return `${(v * 60).toFixed(1)}/min`;
  return v < 10 ? `${v.toFixed(1)}/s` : `${Math.round(v)}/s`;
}

/** True when no point carries a value worth charting. */
export function isEmptySeries(rows: readonly ChartRow[]): boolean {
  return rows.every((r) => r.pending === null && r.lag === null && r.inRate === null && r.length === null);
}

/** Sparkline rows: null rates become gaps. */
export function sparklineRows(rate: RateSummary | undefined): { t: number; inRate: number | null; ackRate: number | null }[] {
  return rate ? rate.points.map((p) => ({ t: p.t, inRate: round(p.inRate), ackRate: round(p.ackRate) })) : [];
}
