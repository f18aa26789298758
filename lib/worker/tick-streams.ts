import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { workerSettingsOf, type Settings } from "@/lib/config/settings";
import { processState } from "@/lib/runtime/state";
import { snapshotStreams, type StreamSnapshot } from "@/lib/streams/snapshot";
import { streamChangeKey } from "@/lib/streams/change-key";
import { nextStreamSlice, sliceCursorKey } from "./stream-slice";
import type { JobContext } from "./types";

/** One slice of the key space and one snapshot of its streams, shared by every job of a tick. */
export interface TickStreams {
  /** The keys of the slice (streams or not, as SCAN found them). */
  keys: readonly string[];
  /** The slice reached the end of the key space. */
  wrapped: boolean;
  /** The slice is the whole key space under the match (it started at the beginning and wrapped). */
  whole: boolean;
  /** The keys that are still streams: XINFO STREAM, XINFO GROUPS, PTTL, and each pending group's oldest entry. */
  streams: readonly StreamSnapshot[];
  /** Redis commands this read cost (0 when the snapshot was already read for an earlier job). */
  commands: number;
}

export interface TickStreamSource {
  /** The tick's streams: read by the first job that asks, re-read only for streams marked changed since. */
  read(): Promise<TickStreams>;
  /** A job changed this stream: later jobs of the tick see it as it is now. */
  changed(key: string): void;
}

function readCost(scanCalls: number, streams: readonly StreamSnapshot[], keys: number): number {
  const pendingGroups = streams.reduce((n, s) => n + s.groups.filter((g) => g.pending > 0).length, 0);
  return scanCalls + 3 * keys + pendingGroups;
}

/** The streams of a tick, under `match`, resuming the SCAN cursor named `cursor`. */
export function tickStreamSource(
  redis: RedisConnection,
  settings: Settings,
  opts: { cursor: string; match: string; now: number; max?: number },
): TickStreamSource {
  let current: Omit<TickStreams, "commands"> | null = null;
  const dirty = new Set<string>();
  const snapshot = (keys: readonly string[]) =>
    snapshotStreams(redis, keys, { groupRules: settings.groups, now: opts.now });
  return {
    async read() {
      if (!current) {
        const fromStart = (await redis.get(sliceCursorKey(opts.cursor, opts.match))) === null;
        const slice = await nextStreamSlice(redis, {
          job: opts.cursor,
          match: opts.match,
          max: opts.max ?? workerSettingsOf(settings).streamsPerTick,
        });
        dirty.clear();
        const streams = await snapshot(slice.keys);
        current = { keys: slice.keys, wrapped: slice.wrapped, whole: fromStart && slice.wrapped, streams };
        return { ...current, commands: readCost(slice.scanCalls + 3, streams, slice.keys.length) };
      }
      if (dirty.size === 0) return { ...current, commands: 0 };
      const keys = [...dirty];
      const reread = new Set(keys);
      dirty.clear();
      const fresh = new Map((await snapshot(keys)).map((s) => [s.key, s]));
      const streams = current.streams.flatMap((s) => {
        if (!reread.has(s.key)) return [s];
        const now = fresh.get(s.key);
        return now ? [now] : [];
      });
      current = { ...current, streams };
      return { ...current, commands: readCost(0, [...fresh.values()], keys.length) };
    },
    changed(key) {
      if (current) dirty.add(key);
    },
  };
}

/**
 * The streams a job looks at: the tick's shared snapshot, or, for a job run on its own (a test,
 * "run now" of one job), a snapshot of its own slice (at most `max` streams, default
 * `worker.streamsPerTick`) resumed from the job's own cursor.
 */
export function streamsFor(ctx: JobContext, job: string, opts: { max?: number } = {}): Promise<TickStreams> {
  const source =
    ctx.streams ??
    tickStreamSource(ctx.redis, ctx.settings, { cursor: job, match: ctx.keyMatch ?? "*", now: ctx.now, ...opts });
  return source.read();
}

/** Tells the tick a job changed `key` (no-op for a job run on its own). */
export function markChanged(ctx: JobContext, key: string): void {
  ctx.streams?.changed(key);
}

/** The stream's change key (lib/streams/change-key.ts), with whether it has an expiry. */
export function fingerprintOf(s: StreamSnapshot): string {
  let fingerprint = fingerprints.get(s);
  if (fingerprint === undefined) {
    fingerprint = streamChangeKey(s, s.groups, s.ttlMs === null ? "no-ttl" : "ttl");
    fingerprints.set(s, fingerprint);
  }
  return fingerprint;
}

const fingerprints = new WeakMap<StreamSnapshot, string>();

interface Seen<T> {
  fingerprint: string;
  data: T;
}

interface JobMemo {
  settings: string;
  streams: Map<string, Seen<unknown>>;
}

/** Streams remembered per job beyond this are forgotten all at once (the memo only saves work). */
const MEMO_CAP = 200_000;

const memos = processState("worker-memo", () => new WeakMap<RedisConnection, Map<string, JobMemo>>());

/**
 * Per process, per connection and job: each stream's fingerprint when the job last found nothing
 * left to do on it, with what the job wants to remember. Forgotten when the settings change. Only
 * ticks use it: a job run on its own ("evaluate now", "sample now") looks at every stream.
 */
export class ChangeMemo<T> {
  private constructor(private readonly memo: JobMemo | null) {}

  static of<T>(ctx: JobContext, job: string): ChangeMemo<T> {
    if (!ctx.streams) return new ChangeMemo<T>(null);
    const settings = JSON.stringify(ctx.settings);
    let byJob = memos.value.get(ctx.redis);
    if (!byJob) {
      byJob = new Map();
      memos.value.set(ctx.redis, byJob);
    }
    let memo = byJob.get(job);
    if (!memo || memo.settings !== settings || memo.streams.size > MEMO_CAP) {
      memo = { settings, streams: new Map() };
      byJob.set(job, memo);
    }
    return new ChangeMemo<T>(memo);
  }

  /** What the job remembered of the stream, when the stream has not changed since; else undefined. */
  unchanged(s: StreamSnapshot): T | undefined {
    const seen = this.memo?.streams.get(s.key);
    return seen && seen.fingerprint === fingerprintOf(s) ? (seen.data as T) : undefined;
  }

  remember(s: StreamSnapshot, data: T): void {
    this.memo?.streams.set(s.key, { fingerprint: fingerprintOf(s), data });
  }

  forget(key: string): void {
    this.memo?.streams.delete(key);
  }

  /** Drops the streams of the slice that are no longer streams. */
  prune(slice: TickStreams): void {
    if (!this.memo) return;
    const live = new Set(slice.streams.map((s) => s.key));
    for (const key of slice.keys) if (!live.has(key)) this.memo.streams.delete(key);
  }
}
