import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { processState } from "@/lib/runtime/state";

/** What one stream added to the overview's tiles when it was last read. */
export interface StreamTotals {
  pending: number;
  stuck: number;
  /** False when a PEL budget ran out first: `stuck` is a lower bound. */
  complete: boolean;
  /** Time (ms) of its oldest pending id; null when nothing is pending. */
  oldestMs: number | null;
  /** When it was read (Redis's clock, ms). */
  at: number;
}

/** Sums of streams' totals (sumTotals). */
export interface RollingSums {
  pending: number;
  stuck: number;
  complete: boolean;
  oldestMs: number | null;
  /** Streams summed (with a reading). */
  read: number;
  /** The oldest reading summed (ms); null when none. */
  since: number | null;
}

/** Readings kept per filter beyond this are dropped all at once (they are read again in turn). */
const MAX_KEPT = 1_000_000;

interface Turns {
  /** Where the next window starts, per length of the key list (callers limited to some streams have their own). */
  next: Map<number, number>;
  streams: Map<string, StreamTotals>;
}

const turns = processState("rolling-summary", () => new WeakMap<RedisConnection, Map<string, Turns>>());

/**
 * The tiles over more streams than one request reads (SUMMARY_STREAM_CAP): each request reads the
 * next window of the stream index's keys in turn, and the tiles sum every stream as last read.
 * Per process, connection and `filter` (the key match, node and group rules the readings were
 * taken under). A stream read and found gone is forgotten; one that left the index is not summed.
 */
export class RollingTotals {
  private constructor(private readonly turns: Turns) {}

  static of(redis: RedisConnection, filter: string): RollingTotals {
    let byFilter = turns.value.get(redis);
    if (!byFilter) turns.value.set(redis, (byFilter = new Map()));
    let t = byFilter.get(filter);
    if (!t) byFilter.set(filter, (t = { next: new Map(), streams: new Map() }));
    return new RollingTotals(t);
  }

  /** The next `size` of `keys` in turn, wrapping around to the first ones. */
  window(keys: readonly string[], size: number): string[] {
    if (keys.length <= size) return [...keys];
    const start = (this.turns.next.get(keys.length) ?? 0) % keys.length;
    const out = keys.slice(start, start + size);
    if (out.length < size) out.push(...keys.slice(0, size - out.length));
    if (this.turns.next.size > 1000) this.turns.next.clear();
    this.turns.next.set(keys.length, (start + size) % keys.length);
    return out;
  }

  /** What a window's read found: the streams in `found`; the window's other keys are gone. */
  record(window: readonly string[], found: ReadonlyMap<string, StreamTotals>): void {
    const streams = this.turns.streams;
    if (streams.size + found.size > MAX_KEPT) streams.clear();
    for (const key of window) {
      const totals = found.get(key);
      if (totals) streams.set(key, totals);
      else streams.delete(key);
    }
  }

  /** The sums over `keys`, each stream as last read (the ones not read yet left out). */
  sum(keys: readonly string[]): RollingSums {
    return sumTotals(keys.map((key) => this.turns.streams.get(key)));
  }
}

/** Streams' totals summed: pending and stuck added up, the oldest pending and oldest reading kept. */
export function sumTotals(totals: Iterable<StreamTotals | undefined>): RollingSums {
  const sums: RollingSums = { pending: 0, stuck: 0, complete: true, oldestMs: null, read: 0, since: null };
  for (const t of totals) {
    if (!t) continue;
    sums.read++;
    sums.pending += t.pending;
    sums.stuck += t.stuck;
    if (!t.complete) sums.complete = false;
    if (t.oldestMs !== null && (sums.oldestMs === null || t.oldestMs < sums.oldestMs)) sums.oldestMs = t.oldestMs;
    if (sums.since === null || t.at < sums.since) sums.since = t.at;
  }
  return sums;
}
