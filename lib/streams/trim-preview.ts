import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { compareIds, idToTimeMs, nextId } from "@/lib/contract/ids";
import { MAX_HOLDS_LISTED, type GroupHold, type TrimPreviewResponse } from "@/lib/contract/trim";
import { translated } from "@/lib/redis/errors";
import { notFound } from "@/lib/errors";
import { assertStream } from "./assert-stream";
import { readStreams } from "./snapshot";
import { parsePendingRange, type GroupInfo, type StreamInfo } from "./xinfo";

/** XPENDING calls per pipeline when a stream has many groups. */
const GROUPS_PER_PIPELINE = 500;

/**
 * What keeps a stream's entries alive, with the same rule as the trim (./trim.ts): each group needs
 * every entry from its oldest pending id, or from the id after the last one it read, whichever is
 * older. Entries older than every group's need can go. Reads XINFO STREAM, XINFO GROUPS, a sampled
 * MEMORY USAGE, and one `XPENDING - + 1` (the oldest pending message) per group: no command walks
 * the entries or the pending lists.
 */
export async function readTrimPreview(redis: RedisConnection, key: string): Promise<TrimPreviewResponse> {
  await assertStream(redis, key);
  const [read] = await translated(() => readStreams(redis, [key], { info: true, groups: true, memory: true }));
  if (!read?.info || !read.groups) {
    await assertStream(redis, key);
    throw notFound(`No stream named "${key}"`);
  }
  const { info, groups, memory: memoryBytes } = read;
  const oldest = await oldestPending(redis, key, groups);
  const holds = groups.map((g, i) => holdOf(g, oldest[i] ?? null)).sort((a, b) => compareIds(a.keepsFrom, b.keepsFrom));
  return previewFrom(key, info, holds, memoryBytes);
}

interface OldestPending {
  id: string;
  consumer: string;
  idleMs: number;
}

/** Each group's oldest pending message (null for a group with nothing pending), in order. */
async function oldestPending(
  redis: RedisConnection,
  key: string,
  groups: GroupInfo[],
): Promise<(OldestPending | null)[]> {
  const out: (OldestPending | null)[] = groups.map(() => null);
  const withPending = groups.flatMap((g, i) => (g.pending > 0 ? [i] : []));
  for (let at = 0; at < withPending.length; at += GROUPS_PER_PIPELINE) {
    const batch = withPending.slice(at, at + GROUPS_PER_PIPELINE);
    const pipe = redis.pipeline();
    for (const i of batch) pipe.call("XPENDING", key, groups[i]!.name, "-", "+", "1");
    const res = await translated(async () => (await pipe.exec())!);
    res.forEach(([err, reply], n) => {
      if (err) throw err;
      const row = parsePendingRange(reply)[0];
      if (row) out[batch[n]!] = { id: row.id, consumer: row.consumer, idleMs: row.idleMs };
    });
  }
  return out;
}

/** One group's hold: the older of its oldest pending id and the id after its last read. */
export function holdOf(g: GroupInfo, oldest: OldestPending | null): GroupHold {
  const afterRead = nextId(g.lastDeliveredId) ?? g.lastDeliveredId;
  const base = { group: g.name, pending: g.pending, lag: g.lag };
  if (oldest && compareIds(oldest.id, afterRead) < 0) {
    return {
      ...base,
      reason: "pending",
      id: oldest.id,
      keepsFrom: oldest.id,
      consumer: oldest.consumer,
      idleMs: oldest.idleMs,
    };
  }
  return { ...base, reason: "unread", id: g.lastDeliveredId, keepsFrom: afterRead };
}

/** The answer from the stream's numbers and the holds, oldest first. */
export function previewFrom(
  key: string,
  info: StreamInfo,
  holds: GroupHold[],
  memoryBytes: number | null,
): TrimPreviewResponse {
  const blocker = holds[0] ?? null;
  const { trimmable, exact } = blocker ? countBelow(info, blocker) : { trimmable: 0, exact: true };
  return {
    stream: key,
    length: info.length,
    trimmable,
    exact,
    minKeptId: blocker?.keepsFrom ?? null,
    blocker: trimmable < info.length ? blocker : null,
    groups: holds.slice(0, MAX_HOLDS_LISTED),
    groupCount: holds.length,
    memoryBytes,
    freedBytesEstimate:
      memoryBytes !== null && info.length > 0 ? Math.round((memoryBytes * trimmable) / info.length) : 0,
  };
}

/**
 * Entries with ids below the blocker's `keepsFrom`. Exact at the ends, and when the blocker has
 * read nothing after its last id (every entry it read is below, so length minus its lag); else
 * estimated from the ids' timestamps between the first and last entry, never above what the
 * blocker has read.
 */
export function countBelow(info: StreamInfo, blocker: GroupHold): { trimmable: number; exact: boolean } {
  const { length, firstEntryId, lastEntryId } = info;
  if (length === 0 || !firstEntryId || !lastEntryId) return { trimmable: 0, exact: true };
  if (compareIds(blocker.keepsFrom, firstEntryId) <= 0) return { trimmable: 0, exact: true };
  if (compareIds(blocker.keepsFrom, lastEntryId) > 0) return { trimmable: length, exact: true };
  const read = blocker.lag === null ? null : length - blocker.lag;
  if (blocker.reason === "unread" && read !== null) return { trimmable: read, exact: true };
  const first = idToTimeMs(firstEntryId);
  const span = idToTimeMs(lastEntryId) - first;
  const share = span > 0 ? (idToTimeMs(blocker.keepsFrom) - first) / span : 0;
  const estimate = Math.round(share * length);
  return { trimmable: Math.max(0, Math.min(estimate, read ?? length, length - 1)), exact: false };
}
