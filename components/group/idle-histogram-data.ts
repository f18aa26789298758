/** Shaping for the idle-time histogram: pure, no React, tested in tests/unit/idle-histogram-data.test.ts. */
import { formatDuration, formatNumber } from "@/lib/shared/format";

export interface IdleBucketInput {
  label: string;
  fromMs: number;
  /** Upper bound (exclusive); null or Infinity for the open last bucket. */
  toMs: number | null;
  count: number;
}

/** "stuck": every message in it is idle over the threshold; "partly": the threshold falls inside it. */
export type BucketState = "ok" | "partly" | "stuck";

export interface IdleBar {
  label: string;
  count: number;
  state: BucketState;
}

export interface IdleHistogramView {
  bars: IdleBar[];
  total: number;
  /** Messages in buckets wholly over the threshold. */
  stuckCount: number;
  /** Messages in the bucket the threshold cuts (some of them may be stuck). */
  partlyStuckCount: number;
  stuckLabels: string[];
  /** One line for the legend / caption: which buckets count as stuck. */
  legend: string;
  /** Caveat shown beside the chart, or null when the counts are exact. */
  estimateNote: string | null;
}

export function bucketState(fromMs: number, toMs: number | null, stuckAfterMs: number): BucketState {
  if (fromMs >= stuckAfterMs) return "stuck";
  const upper = toMs === null ? Number.POSITIVE_INFINITY : toMs;
  return upper > stuckAfterMs ? "partly" : "ok";
}

export function shapeIdleHistogram(
  buckets: readonly IdleBucketInput[],
  stuckAfterMs: number,
  opts: { exact: boolean; sampled?: number | null } = { exact: true },
): IdleHistogramView {
  const bars = buckets.map((b) => ({
    label: b.label,
    count: b.count,
    state: bucketState(b.fromMs, b.toMs, stuckAfterMs),
  }));
  const total = bars.reduce((n, b) => n + b.count, 0);
  const stuck = bars.filter((b) => b.state === "stuck");
  const stuckCount = stuck.reduce((n, b) => n + b.count, 0);
  const partlyStuckCount = bars.filter((b) => b.state === "partly").reduce((n, b) => n + b.count, 0);
  const threshold = formatDuration(stuckAfterMs);
  const stuckLabels = stuck.map((b) => b.label);
  const legend =
    stuckLabels.length === 0
      ? `Stuck threshold ${threshold}: no bucket lies wholly above it`
      : `Stuck (idle over ${threshold}): ${stuckLabels.join(", ")}: ${formatNumber(stuckCount)} ${stuckCount === 1 ? "message" : "messages"}`;
  const estimateNote = opts.exact
    ? null
    : `Estimate from a sample${opts.sampled ? ` of ${formatNumber(opts.sampled)} pending messages` : ""}`;
  return { bars, total, stuckCount, partlyStuckCount, stuckLabels, legend, estimateNote };
}
