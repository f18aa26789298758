import { processState } from "./state";

/**
 * Identical reads within a short window share one load: callers of the same key while a load
 * runs get its promise (single flight), and its result is reused until the clock next reaches a
 * multiple of `ttlMs` (at most `ttlMs` after it settles). Every kept answer of the same ttl ends
 * at the same moment, so answers asked together (the overview's rows and its tiles) are loaded
 * together again and share their reads below (lib/streams/recent-groups.ts): with expiry counted
 * from each load, they drift apart.
 * Failures are never kept. Bounded: at most MAX_ENTRIES results and MAX_BYTES of their sizes
 * (as measured by the caller), the oldest dropped first; a result bigger than MAX_ENTRY_BYTES
 * is shared with the callers already waiting for it, then dropped.
 */

export const MAX_ENTRIES = 300;
export const MAX_BYTES = 32 * 1024 * 1024;
export const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

interface Entry {
  promise: Promise<unknown>;
  /** When the result may no longer be reused; Infinity while the load runs. */
  expiresAt: number;
  bytes: number;
  /** Bumped by clearSharedReads so a load started before a clear does not store its result. */
  generation: number;
  /** The stream the answer is about (a stream's own pages), or none (lists, overview, alerts...). */
  stream?: string;
}

interface SharedReads {
  entries: Map<string, Entry>;
  bytes: number;
  generation: number;
  loads: number;
}

const clearListeners = processState("shared-read-listeners", () => new Set<(stream?: string) => void>());

/** Also told of every clearSharedReads: a lower cache (kept replies of one command) forgets the same stream. */
export function onSharedReadsCleared(listener: (stream?: string) => void): void {
  clearListeners.value.add(listener);
}

const state = processState<SharedReads>("shared-reads", () => ({
  entries: new Map(),
  bytes: 0,
  generation: 0,
  loads: 0,
}));

function drop(key: string, entry: Entry): void {
  const reads = state.value;
  if (reads.entries.get(key) !== entry) return;
  reads.entries.delete(key);
  reads.bytes -= entry.bytes;
}

function evict(): void {
  const reads = state.value;
  for (const [key, entry] of reads.entries) {
    if (reads.entries.size <= MAX_ENTRIES && reads.bytes <= MAX_BYTES) return;
    drop(key, entry);
  }
}

export interface SharedReadOptions<T> {
  /** The result's size in bytes, for the caps (default 0: only the entry count bounds it). */
  size?: (value: T) => number;
  /** Clock, for tests. */
  now?: () => number;
  /** The stream the answer is about: a change to that stream clears it (clearSharedReads). */
  stream?: string;
}

function nextMultiple(at: number, step: number): number {
  return (Math.floor(at / step) + 1) * step;
}

/**
 * The result of `load()`, shared with every caller of the same `key` while it runs and, after it
 * succeeded, until the next multiple of `ttlMs` on the clock (0: only concurrent callers share it). Errors reach every caller
 * waiting for that load and are not kept.
 */
export function sharedRead<T>(
  key: string,
  ttlMs: number,
  load: () => Promise<T>,
  opts: SharedReadOptions<T> = {},
): Promise<T> {
  const now = opts.now ?? Date.now;
  const reads = state.value;
  const found = reads.entries.get(key);
  if (found && found.expiresAt > now()) return found.promise as Promise<T>;
  if (found) drop(key, found);

  reads.loads++;
  const entry: Entry = {
    promise: Promise.resolve(),
    expiresAt: Infinity,
    bytes: 0,
    generation: reads.generation,
    ...(opts.stream !== undefined ? { stream: opts.stream } : {}),
  };
  entry.promise = (async () => load())().then(
    (value) => {
      const bytes = opts.size?.(value) ?? 0;
      const current = state.value;
      if (ttlMs <= 0 || bytes > MAX_ENTRY_BYTES || entry.generation !== current.generation) drop(key, entry);
      else if (current.entries.get(key) === entry) {
        entry.expiresAt = nextMultiple(now(), ttlMs);
        entry.bytes = bytes;
        current.bytes += bytes;
        evict();
      }
      return value;
    },
    (err: unknown) => {
      drop(key, entry);
      throw err;
    },
  );
  reads.entries.set(key, entry);
  evict();
  return entry.promise as Promise<T>;
}

/**
 * Forgets kept results after a change: those about `stream` when given, else every one. Loads
 * running now still answer their callers but are not kept. Answers about no stream in particular
 * (lists, the overview) are not cleared by a change to one stream: they are at most `ttlMs` old,
 * as they are after a change made through another instance.
 */
export function clearSharedReads(stream?: string): void {
  for (const listener of clearListeners.value) listener(stream);
  const reads = state.value;
  if (stream === undefined) {
    reads.generation++;
    reads.entries.clear();
    reads.bytes = 0;
    return;
  }
  for (const [key, entry] of reads.entries) if (entry.stream === stream) drop(key, entry);
}

/** How many loads sharedRead started in this process (tests). */
export function sharedReadLoads(): number {
  return state.value.loads;
}
