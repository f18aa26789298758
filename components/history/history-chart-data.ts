/** Chart rows from history points (pure; tests/unit/history-chart-data.test.ts). */
import type { HistoryPoint, HistoryRange, RateSummary } from "@/lib/contract/history";

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
export function sparklineRows(
  rate: RateSummary | undefined,
): { t: number; inRate: number | null; ackRate: number | null }[] {
  return rate ? rate.points.map((p) => ({ t: p.t, inRate: round(p.inRate), ackRate: round(p.ackRate) })) : [];
}

const MIN = 60_000;
/** Tick spacings on the time axis: whole seconds (short spans), minutes and hours, so no two ticks share a label. */
export const TICK_STEPS_MS = [
  1_000,
  2_000,
  5_000,
  10_000,
  15_000,
  30_000,
  ...[1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MIN),
];

/**
 * Time-axis ticks for [from, to]: the smallest spacing from TICK_STEPS_MS that gives at most
 * `maxTicks`, ticks on its multiples (UTC), so every tick is a distinct second or minute.
 */
export function timeTicks(from: number, to: number, maxTicks = 6): { ticks: number[]; stepMs: number } {
  const span = Math.max(0, to - from);
  const stepMs = TICK_STEPS_MS.find((s) => span / s < maxTicks) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / stepMs) * stepMs; t <= to; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

/**
 * A tick's label: HH:MM (UTC, as the rest of the UI); HH:MM:SS when ticks are less than a minute
 * apart; with the day of month when the axis spans more than 12 h.
 */
export function formatTimeTick(t: number, spanMs: number, stepMs = MIN): string {
  const iso = new Date(t).toISOString();
  if (stepMs < MIN) return iso.slice(11, 19);
  return spanMs > 12 * 3600_000 ? `${iso.slice(8, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

export interface SeriesSpec {
  key: Exclude<keyof ChartRow, "t">;
  name: string;
  color: string;
}

export interface ChartSpec {
  title: string;
  series: SeriesSpec[];
  /** Counts: drawn as steps (a count holds until the next sample) on an integer axis. */
  counts: boolean;
  area?: boolean;
}

/**
 * The history charts. Pending has a chart (and axis) of its own: next to length or lag, which
 * are often thousands of times larger, it would be pressed flat.
 */
export function historyChartSpecs(showLength: boolean): ChartSpec[] {
  return [
    { title: "Pending", series: [{ key: "pending", name: "pending", color: "#d97706" }], counts: true },
    {
      title: showLength ? "Length and lag" : "Lag",
      series: [
        ...(showLength ? [{ key: "length" as const, name: "length", color: "#64748b" }] : []),
        { key: "lag", name: "lag (waiting)", color: "#2563eb" },
      ],
      counts: true,
    },
    {
      title: "Messages in vs acked per second",
      series: [
        { key: "inRate", name: "in /s", color: "#0f766e" },
        { key: "ackRate", name: "acked /s", color: "#7c3aed" },
      ],
      counts: false,
    },
    {
      title: "Oldest pending age (s)",
      series: [{ key: "oldestPendingS", name: "oldest pending (s)", color: "#dc2626" }],
      counts: false,
      area: true,
    },
  ];
}
