/**
 * The live tail's page-side state, pure: a bounded newest-first buffer, states refreshed from the
 * entries route, the arrival rate, and the entries query that polling and the state refresh use.
 */
import type { EntriesQuery, StreamEntry } from "@/lib/contract/entries";
import { compareIds } from "@/lib/contract/ids";

export const LIVE_BUFFER_MAX = 500;
/** Newest live entries whose states are re-read every few seconds. */
export const LIVE_STATE_WINDOW = 100;
export const LIVE_POLL_COUNT = 100;
export const RATE_WINDOW_MS = 10_000;

/** Adds `incoming` (any order) to a newest-first buffer: no duplicates, at most `max` kept. */
export function mergeNewest(buffer: StreamEntry[], incoming: StreamEntry[], max = LIVE_BUFFER_MAX): StreamEntry[] {
  if (incoming.length === 0) return buffer;
  const seen = new Set(buffer.map((e) => e.id));
  const fresh = incoming.filter((e) => !seen.has(e.id));
  if (fresh.length === 0) return buffer;
  return [...fresh, ...buffer].sort((a, b) => compareIds(b.id, a.id)).slice(0, max);
}

/** The buffer with states taken from a fresher read of the same entries. */
export function applyStates(buffer: StreamEntry[], fresher: StreamEntry[]): StreamEntry[] {
  if (fresher.length === 0) return buffer;
  const byId = new Map(fresher.map((e) => [e.id, e.states]));
  let changed = false;
  const out = buffer.map((e) => {
    const states = byId.get(e.id);
    if (!states || JSON.stringify(states) === JSON.stringify(e.states)) return e;
    changed = true;
    return { ...e, states };
  });
  return changed ? out : buffer;
}

/** The entries query covering the newest `n` buffered entries (null when empty). */
export function stateWindowQuery(buffer: StreamEntry[], n = LIVE_STATE_WINDOW): EntriesQuery | null {
  const newest = buffer[0];
  const oldest = buffer[Math.min(n, buffer.length) - 1];
  if (!newest || !oldest) return null;
  return { order: "desc", start: newest.id, end: oldest.id, count: Math.min(n, buffer.length) };
}

/** Polling: the newest entries after `lastId` (all of them when `next` comes back null). */
export function pollQuery(lastId: string | undefined): EntriesQuery {
  return lastId
    ? { order: "desc", start: "+", end: `(${lastId}`, count: LIVE_POLL_COUNT }
    : { order: "desc", count: 1 };
}

export interface RateSample {
  at: number;
  count: number;
}

export function addSample(samples: RateSample[], at: number, count: number): RateSample[] {
  return [...samples.filter((s) => s.at > at - RATE_WINDOW_MS), { at, count }];
}

/** Entries per second over the last RATE_WINDOW_MS (or since `since` when that is shorter). */
export function ratePerSecond(samples: RateSample[], now: number, since: number): number {
  const from = Math.max(now - RATE_WINDOW_MS, since);
  const total = samples.filter((s) => s.at > now - RATE_WINDOW_MS).reduce((n, s) => n + s.count, 0);
  const seconds = Math.max((now - from) / 1000, 1);
  return total / seconds;
}

export function formatRate(rate: number): string {
  return `${rate < 10 ? rate.toFixed(1) : Math.round(rate)} entries/s`;
}

/** What the page says about entries it never showed; null when there were none. */
export function skippedText(count: number, unknown: boolean): string | null {
  if (count === 0 && !unknown) return null;
  const older = unknown ? "older entries from before the tail started" : null;
  const counted = count > 0 ? `${count} entries the page could not keep up with` : null;
  return `Skipped ${[counted, older].filter(Boolean).join(" and ")}.`;
}
