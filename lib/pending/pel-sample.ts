import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { MAX_PENDING_PAGE } from "@/lib/contract/pending";
import { idToTimeMs, timeMsToId } from "@/lib/contract/ids";
import type { PendingEntry } from "@/lib/streams/xinfo";
import { pelCursor, pelPages, readPelPage } from "./pel";

/** Up to this many pending entries a sample holds every one. */
export const EXACT_LIMIT = 10_000;
/** Above it: this many windows of MAX_PENDING_PAGE entries, spread evenly over the PEL's id range. */
export const SAMPLE_WINDOWS = 10;

export interface PelSample {
  /** The rows read, each id once. */
  rows: PendingEntry[];
  /** Every pending entry was read. */
  exact: boolean;
  /** The PEL's size: counted when exact, else as the caller said. */
  total: number;
}

/**
 * The rows of a group's PEL for a histogram, in bounded XPENDING pages: all of them for a PEL up to
 * EXACT_LIMIT, else SAMPLE_WINDOWS windows starting at evenly spaced times between the oldest
 * pending id and `newestId` (the newest pending id, or the group's last-delivered-id above it).
 */
export async function readPelSample(
  redis: RedisConnection,
  stream: string,
  group: string,
  pel: { count: number; oldestId: string | null; newestId: string | null },
): Promise<PelSample> {
  const byId = new Map<string, PendingEntry>();
  if (pel.count <= EXACT_LIMIT) {
    for await (const page of pelPages(redis, pelCursor(stream, group))) {
      for (const r of page) byId.set(r.id, r);
      // The PEL grew past the limit while it was read: what was read stands as a sample.
      if (byId.size > EXACT_LIMIT) return { rows: [...byId.values()], exact: false, total: pel.count };
    }
    return { rows: [...byId.values()], exact: true, total: byId.size };
  }
  if (pel.oldestId && pel.newestId) {
    const from = idToTimeMs(pel.oldestId);
    const to = idToTimeMs(pel.newestId);
    const windows = await Promise.all(
      Array.from({ length: SAMPLE_WINDOWS }, (_, i) => {
        const at = from + Math.floor(((to - from) * i) / SAMPLE_WINDOWS);
        return readPelPage(redis, pelCursor(stream, group, { start: timeMsToId(at) }), MAX_PENDING_PAGE);
      }),
    );
    for (const rows of windows) for (const r of rows) byId.set(r.id, r);
  }
  return { rows: [...byId.values()], exact: false, total: pel.count };
}
