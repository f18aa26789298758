/**
 * Pure shaping of history samples: rates from counter deltas, downsampling for charts, and the
 * "healthy or stuck?" pending profile. No I/O; tested in tests/unit/history-series.test.ts.
 */
import type { HistoryPoint, PendingProfileResponse } from "@/lib/contract/history";
import type { Drain } from "@/lib/contract/pending";

export interface Sample {
  t: number;
  length: number | null;
  entriesAdded: number | null;
  pending: number | null;
  lag: number | null;
  entriesRead: number | null;
  oldestPendingMs: number | null;
}

export const MAX_POINTS = 300;
export const MIN_SUGGESTED_STUCK_MS = 5000;

/**
 * Messages added per second between two samples (entries-added delta), and messages acked per
 * second: entries-read delta minus pending delta (what was read and is no longer pending),
 * clamped at 0. null when a counter is unknown or went backwards (stream recreated, group reset).
 */
export function intervalRates(a: Sample, b: Sample): { inRate: number | null; ackRate: number | null } {
  const dt = (b.t - a.t) / 1000;
  if (!(dt > 0)) return { inRate: null, ackRate: null };
  let inRate: number | null = null;
  if (a.entriesAdded !== null && b.entriesAdded !== null && b.entriesAdded >= a.entriesAdded) {
    inRate = (b.entriesAdded - a.entriesAdded) / dt;
  }
  let ackRate: number | null = null;
  if (
    a.entriesRead !== null &&
    b.entriesRead !== null &&
    a.pending !== null &&
    b.pending !== null &&
    b.entriesRead >= a.entriesRead
  ) {
    ackRate = Math.max(0, b.entriesRead - a.entriesRead - (b.pending - a.pending)) / dt;
  }
  return { inRate, ackRate };
}

export function samplesToPoints(samples: readonly Sample[]): HistoryPoint[] {
  return samples.map((s, i) => {
    const prev = i > 0 ? samples[i - 1] : undefined;
    const rates = prev ? intervalRates(prev, s) : { inRate: null, ackRate: null };
    return { t: s.t, length: s.length, pending: s.pending, lag: s.lag, oldestPendingMs: s.oldestPendingMs, ...rates };
  });
}

function maxOf(values: (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v > out)) out = v;
  return out;
}

function meanOf(values: (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

/**
 * At most `max` points: consecutive points are grouped into equal buckets; levels (pending, lag,
 * length, oldest pending age) keep the bucket's maximum so a spike stays visible, rates the
 * bucket's mean. Each bucket is stamped with its last point's time.
 */
export function downsample(points: readonly HistoryPoint[], max = MAX_POINTS): HistoryPoint[] {
  if (points.length <= max) return [...points];
  const size = Math.ceil(points.length / max);
  const out: HistoryPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push({
      t: bucket[bucket.length - 1]!.t,
      length: maxOf(bucket.map((p) => p.length)),
      pending: maxOf(bucket.map((p) => p.pending)),
      lag: maxOf(bucket.map((p) => p.lag)),
      oldestPendingMs: maxOf(bucket.map((p) => p.oldestPendingMs)),
      inRate: meanOf(bucket.map((p) => p.inRate)),
      ackRate: meanOf(bucket.map((p) => p.ackRate)),
    });
  }
  return out;
}

/** Nearest-rank percentile of unsorted values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Rounds a threshold up to a value an operator would type: whole seconds, then 10 s, then minutes. */
export function roundThreshold(ms: number): number {
  if (ms <= 60_000) return Math.ceil(ms / 1000) * 1000;
  if (ms <= 600_000) return Math.ceil(ms / 10_000) * 10_000;
  return Math.ceil(ms / 60_000) * 60_000;
}

/** Acked observations needed before a threshold is suggested. */
export const MIN_ACKED_OBSERVATIONS = 3;

/**
 * How long acked messages had been pending when they left the PEL, read from the samples'
 * oldest-pending age: while one message stays the oldest, its age grows by exactly the time
 * between samples; when it leaves (acked), the next sample's oldest is younger (a later id) or
 * nothing is pending. Each departure gives one observation: the age at the last sample that saw
 * it (a lower bound, off by at most one sample period). A message still pending (stuck, or held
 * by a dead consumer) never departs, so it never feeds these observations.
 */
export function ackedPendingAges(samples: readonly Sample[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (a.pending === null || a.pending <= 0 || a.oldestPendingMs === null) continue;
    if (b.pending === null) continue;
    const gone =
      b.pending === 0 ||
      b.oldestPendingMs === null ||
      // Ages are stored rounded to the ms: allow 2 ms for that.
      b.oldestPendingMs < a.oldestPendingMs + (b.t - a.t) - 2;
    if (gone) out.push(a.oldestPendingMs);
  }
  return out;
}

export interface StuckNow {
  /** Pending messages idle at least the current threshold (a lower bound when capped). */
  count: number;
  /** Idle time of the most idle one of them. */
  maxIdleMs: number;
  capped: boolean;
}

/**
 * "Healthy or stuck?" for a group, from acked messages only (see ackedPendingAges): the median
 * and p95 time they stayed pending, and a suggested stuckAfterMs of max(2 × p95, 5 s), rounded
 * up. While messages are stuck now, no threshold above the current one is suggested, since it
 * would hide them (any value at or below the current threshold hides none of them).
 */
export function pendingProfile(
  samples: readonly Sample[],
  currentStuckAfterMs: number,
  stuckNow: StuckNow = { count: 0, maxIdleMs: 0, capped: false },
): PendingProfileResponse {
  const ages = ackedPendingAges(samples);
  const p50 = percentile(ages, 50);
  const p95 = percentile(ages, 95);
  let suggested =
    p95 === null || ages.length < MIN_ACKED_OBSERVATIONS
      ? null
      : roundThreshold(Math.max(p95 * 2, MIN_SUGGESTED_STUCK_MS));
  let raiseHeldBack = false;
  if (suggested !== null && stuckNow.count > 0 && suggested > currentStuckAfterMs) {
    suggested = null;
    raiseHeldBack = true;
  }
  return {
    typicalPendingMs: p50,
    p95PendingMs: p95,
    suggestedStuckAfterMs: suggested,
    raiseHeldBack,
    currentStuckAfterMs,
    basedOnSamples: samples.length,
    ackedObservations: ages.length,
    windowFrom: samples[0]?.t ?? null,
    windowTo: samples[samples.length - 1]?.t ?? null,
    stuckNow,
  };
}

/** Overall in / acked rate across a window of samples (first to last), per second. */
export function windowRates(samples: readonly Sample[]): { inRate: number | null; ackRate: number | null } {
  if (samples.length < 2) return { inRate: null, ackRate: null };
  const points = samplesToPoints(samples).slice(1);
  return { inRate: meanOf(points.map((p) => p.inRate)), ackRate: meanOf(points.map((p) => p.ackRate)) };
}

/** Samples older than this do not count towards the drain rate. */
export const DRAIN_WINDOW_MS = 15 * 60_000;
/** A lag changing slower than this (entries per second) is flat. */
const FLAT_RATE = 1e-6;

/**
 * The rate at which the lag falls (least-squares slope of the lag samples of the last
 * DRAIN_WINDOW_MS, negated) and the time to reach 0 from `lagNow` (the last sample's lag when
 * unknown). null with fewer than two samples of known lag, or a flat lag.
 */
export function drainFromSamples(samples: readonly Sample[], lagNow: number | null, now: number): Drain | null {
  const pts = samples.filter((s) => s.lag !== null && s.t >= now - DRAIN_WINDOW_MS && s.t <= now);
  if (pts.length < 2) return null;
  const n = pts.length;
  const t0 = pts[0]!.t;
  const mx = pts.reduce((a, s) => a + (s.t - t0) / 1000, 0) / n;
  const my = pts.reduce((a, s) => a + s.lag!, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of pts) {
    const dx = (s.t - t0) / 1000 - mx;
    sxy += dx * (s.lag! - my);
    sxx += dx * dx;
  }
  if (sxx === 0) return null;
  const ratePerSec = -sxy / sxx;
  if (Math.abs(ratePerSec) < FLAT_RATE) return null;
  const lag = lagNow ?? pts[n - 1]!.lag!;
  return { ratePerSec, etaMs: ratePerSec > 0 ? Math.round((Math.max(0, lag) / ratePerSec) * 1000) : null };
}
