import "server-only";
import type Redis from "ioredis";
import type { PendingFilter } from "@/lib/contract/pending";
import { retryOnConnectionLoss } from "@/lib/redis/retry";
import { parsePendingRange, type PendingEntry } from "@/lib/streams/xinfo";

/** Largest XPENDING COUNT we send. */
export const PEL_CHUNK = 1000;

/** Does a PEL row pass the idle and delivery filters? (Consumer is filtered by XPENDING itself.) */
export function matchesFilter(row: PendingEntry, filter: PendingFilter): boolean {
  if (filter.minIdleMs !== undefined && row.idleMs < filter.minIdleMs) return false;
  if (filter.minDeliveries !== undefined && row.deliveries < filter.minDeliveries) return false;
  return true;
}

/** One bounded XPENDING page: at most `count` (<= 1000) rows from `start` (`-`, an id or `(id`). */
export async function readPelChunk(
  redis: Redis,
  stream: string,
  group: string,
  opts: { start: string; end: string; count: number; consumer?: string },
): Promise<PendingEntry[]> {
  const count = Math.min(Math.max(1, opts.count), PEL_CHUNK);
  const args: (string | number)[] = [stream, group, opts.start, opts.end, count];
  if (opts.consumer !== undefined) args.push(opts.consumer);
  // A read, safe to send again: a bulk action on the write connection survives a dropped connection.
  return parsePendingRange(await retryOnConnectionLoss(() => redis.call("XPENDING", ...args), "XPENDING page"));
}

export interface PelChunk {
  /** Rows of this chunk that match the filter. */
  matched: PendingEntry[];
  /** Rows read (matching or not). */
  scanned: number;
  /** Last id read; the next chunk starts after it. */
  lastId: string;
}

/**
 * Walks the group's PEL in id order in bounded chunks, yielding the rows that match the filter.
 *
 * The idle filter is applied here, not with XPENDING's IDLE option: with IDLE, Redis skips
 * non-matching entries without counting them against COUNT, so on a huge, fresh PEL a single
 * call can walk everything. Chunks of plain XPENDING cost at most PEL_CHUNK entries each.
 * The consumer filter goes to XPENDING (it walks that consumer's own PEL, still bounded by COUNT).
 * Safe while the caller acks what it was given: paging restarts strictly after `lastId`.
 */
export async function* scanPel(
  redis: Redis,
  stream: string,
  group: string,
  filter: PendingFilter,
  opts: { start?: string; chunk?: number } = {},
): AsyncGenerator<PelChunk> {
  const chunk = Math.min(opts.chunk ?? PEL_CHUNK, PEL_CHUNK);
  let start = opts.start ?? filter.minId ?? "-";
  const end = filter.maxId ?? "+";
  for (;;) {
    const rows = await readPelChunk(redis, stream, group, { start, end, count: chunk, consumer: filter.consumer });
    const last = rows[rows.length - 1];
    if (!last) return;
    yield { matched: rows.filter((r) => matchesFilter(r, filter)), scanned: rows.length, lastId: last.id };
    if (rows.length < chunk) return;
    start = `(${last.id}`;
  }
}
