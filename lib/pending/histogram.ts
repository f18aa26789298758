/** Pure bucketing of pending idle times for the group page's histogram. */
import type { IdleBucket } from "@/lib/contract/pending";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

export const IDLE_BUCKETS: readonly { label: string; fromMs: number; toMs: number | null }[] = [
  { label: "under 1 s", fromMs: 0, toMs: S },
  { label: "1-10 s", fromMs: S, toMs: 10 * S },
  { label: "10-30 s", fromMs: 10 * S, toMs: 30 * S },
  { label: "30 s-1 min", fromMs: 30 * S, toMs: MIN },
  { label: "1-5 min", fromMs: MIN, toMs: 5 * MIN },
  { label: "5-30 min", fromMs: 5 * MIN, toMs: 30 * MIN },
  { label: "30 min-2 h", fromMs: 30 * MIN, toMs: 2 * H },
  { label: "over 2 h", fromMs: 2 * H, toMs: null },
];

/** Index of the bucket an idle time falls in (lower bound inclusive, upper exclusive). */
export function bucketIndex(idleMs: number): number {
  const i = IDLE_BUCKETS.findIndex((b) => b.toMs === null || idleMs < b.toMs);
  return Math.max(0, i);
}

/** Counts per bucket. */
export function countIdle(idles: Iterable<number>): number[] {
  const counts = IDLE_BUCKETS.map(() => 0);
  for (const idle of idles) counts[bucketIndex(idle)]! += 1;
  return counts;
}

/**
 * Buckets for the chart. With a sample (`sampled` < `total`), counts are scaled to the PEL size
 * and rounded so they still add up to `total` (largest remainders get the leftover units).
 */
export function idleBuckets(idles: readonly number[], total: number = idles.length): IdleBucket[] {
  const counts = countIdle(idles);
  const scaled = idles.length === 0 || total === idles.length ? counts : scaleToTotal(counts, total);
  return IDLE_BUCKETS.map((b, i) => ({ ...b, count: scaled[i] ?? 0 }));
}

export function scaleToTotal(counts: readonly number[], total: number): number[] {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (sum === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * total) / sum);
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((v, i) => ({ i, frac: v - Math.floor(v) })).sort((a, b) => b.frac - a.frac);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors;
}
