/**
 * Answers of polled reads (overview, stream list, stream, group, alerts, worker status) carry
 * when their data was read: identical requests within READ_CACHE_MS share one read.
 */
export interface DataAge {
  /** When the read that made this answer started (ms since the epoch). */
  asOf?: number;
}
