import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { nextStreams, snapshotStreams, type StreamSnapshot } from "@/lib/streams/snapshot";
import type { Settings } from "@/lib/config/settings";
import { historyKeys, writeSamples } from "./store";
import type { Sample } from "./series";

/** Streams per sample (a rolling SCAN cursor continues next time) and groups per sample. */
export const MAX_STREAMS_PER_SAMPLE = 1000;
export const MAX_GROUPS_PER_SAMPLE = 2000;
export const DEFAULT_SAMPLE_EVERY_MS = 10_000;
export const DEFAULT_RETENTION_MS = 86400_000;

export function historySettings(settings: Settings): { sampleEveryMs: number; retentionMs: number } {
  return {
    sampleEveryMs: settings.history?.sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS,
    retentionMs: settings.history?.retentionMs ?? DEFAULT_RETENTION_MS,
  };
}

/** One sample of a stream (its groups summed: pending and entries-read; lag and oldest age: the max). */
export function streamSample(s: StreamSnapshot, now: number): Sample {
  let lag: number | null = null;
  let oldest: number | null = null;
  let read: number | null = s.groups.length > 0 ? 0 : null;
  for (const g of s.groups) {
    if (g.lag !== null) lag = Math.max(lag ?? 0, g.lag);
    if (g.oldestPending) oldest = Math.max(oldest ?? 0, g.oldestPending.ageMs);
    read = read === null || g.entriesRead === null ? null : read + g.entriesRead;
  }
  return {
    t: now,
    length: s.length,
    entriesAdded: s.entriesAdded,
    pending: s.groups.reduce((n, g) => n + g.pending, 0),
    lag,
    entriesRead: read,
    oldestPendingMs: oldest,
  };
}

export function groupSample(s: StreamSnapshot, g: StreamSnapshot["groups"][number], now: number): Sample {
  return {
    t: now,
    length: s.length,
    entriesAdded: s.entriesAdded,
    pending: g.pending,
    lag: g.lag,
    entriesRead: g.entriesRead,
    oldestPendingMs: g.oldestPending ? g.oldestPending.ageMs : null,
  };
}

export interface SampleResult {
  streams: number;
  groups: number;
  written: number;
  failed: number;
  skipped: boolean;
}

/**
 * Samples the next page of streams and their groups. Skips (unless forced) when the last sample
 * is younger than sampleEveryMs, so the worker's tick can call it every time.
 */
export async function sampleHistory(
  redis: RedisConnection,
  settings: Settings,
  opts: { now: number; forced?: boolean; match?: string; heartbeat?: () => Promise<void> },
): Promise<SampleResult> {
  const { sampleEveryMs, retentionMs } = historySettings(settings);
  const lastKey = historyKeys.lastRun() + (opts.match ? `:${opts.match}` : "");
  if (!opts.forced) {
    const last = Number((await redis.get(lastKey)) ?? 0);
    // A little slack so a tick that lands just early does not skip a whole period.
    if (opts.now - last < sampleEveryMs * 0.9) return { streams: 0, groups: 0, written: 0, failed: 0, skipped: true };
  }
  const page = await nextStreams(redis, historyKeys.cursor() + (opts.match ? `:${opts.match}` : ""), {
    match: opts.match ?? "*",
    max: MAX_STREAMS_PER_SAMPLE,
    maxPages: 100,
  });
  const snapshots = await snapshotStreams(redis, page.keys, {
    groupRules: settings.groups,
    now: opts.now,
    maxGroups: MAX_GROUPS_PER_SAMPLE,
  });
  const rows: { key: string; sample: Sample }[] = [];
  let groups = 0;
  for (const s of snapshots) {
    rows.push({ key: historyKeys.stream(s.key), sample: streamSample(s, opts.now) });
    for (const g of s.groups) {
      if (groups >= MAX_GROUPS_PER_SAMPLE) break;
      groups++;
      rows.push({ key: historyKeys.group(s.key, g.name), sample: groupSample(s, g, opts.now) });
    }
  }
  await opts.heartbeat?.();
  const { written, failed } = await writeSamples(redis, rows, retentionMs);
  await page.save();
  await redis.set(lastKey, String(opts.now), "PX", Math.max(retentionMs, sampleEveryMs * 10));
  return { streams: snapshots.length, groups, written, failed, skipped: false };
}
