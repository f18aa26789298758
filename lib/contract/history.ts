/** History (sampled series) shapes shared by the history routes and the chart hooks. */
import { z } from "zod";

export const HISTORY_RANGES = { "15m": 15 * 60_000, "1h": 3600_000, "6h": 6 * 3600_000, "24h": 86400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** `GET .../history?range=` query. */
export const historyRangeQuerySchema = z.object({
  range: z.enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]]).default("1h"),
});

/** One chart point. Rates are per second; null where the interval is unknown (first point, counter reset). */
export interface HistoryPoint {
  t: number;
  length: number | null;
  pending: number | null;
  lag: number | null;
  inRate: number | null;
  ackRate: number | null;
  oldestPendingMs: number | null;
}

export interface HistoryResponse {
  range: HistoryRange;
  from: number;
  to: number;
  sampleEveryMs: number;
  /** Raw samples in the range, before downsampling. */
  samples: number;
  points: HistoryPoint[];
}

export interface RateSummary {
  /** Messages in per second over the window (null without two samples). */
  inRate: number | null;
  /** Messages acked per second over the window. */
  ackRate: number | null;
  /** Small series for a sparkline: in and acked per second. */
  points: { t: number; inRate: number | null; ackRate: number | null }[];
}

/** Most streams one `GET /api/history/rates?key=...` names. */
export const MAX_RATE_KEYS = 200;
/** The `key` values of the rates query, repeated names dropped. */
export const ratesKeysSchema = z.array(z.string().min(1)).min(1).max(MAX_RATE_KEYS);

export interface RatesResponse {
  windowMs: number;
  rates: Record<string, RateSummary>;
}

export interface PendingProfileResponse {
  /**
   * Median time acked messages had stayed pending (from the history samples' oldest-pending
   * age at the moment it left the PEL); messages still pending never count. null without acks.
   */
  typicalPendingMs: number | null;
  p95PendingMs: number | null;
  /** null when there are too few acked observations, or when a raise is held back. */
  suggestedStuckAfterMs: number | null;
  /** A higher threshold would have been suggested, but messages are stuck now and it would hide them. */
  raiseHeldBack: boolean;
  currentStuckAfterMs: number;
  /** History samples read (the window below). */
  basedOnSamples: number;
  /** Acked messages observed in those samples. */
  ackedObservations: number;
  /** Time of the first and last sample read (ms); null without samples. */
  windowFrom: number | null;
  windowTo: number | null;
  /** Messages idle at least the current threshold right now. */
  stuckNow: { count: number; maxIdleMs: number; capped: boolean };
}

/** `POST /api/history/sample`: what the sampling job did. */
export interface SampleResponse {
  counts: Record<string, number>;
  notes: string[];
}
