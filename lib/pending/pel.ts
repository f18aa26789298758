import "server-only";
import { MAX_PENDING_PAGE, type PendingFilter } from "@/lib/contract/pending";
import type { RedisConnection } from "@/lib/redis/connection";
import { pipelineForKeys } from "@/lib/redis/keyspace";
import { retryOnConnectionLoss } from "@/lib/redis/retry";
import { parsePendingRange, type PendingEntry } from "@/lib/streams/xinfo";

/**
 * The one pager of a group's pending entries list (PEL): `XPENDING key group start end count
 * [consumer]` pages in id order, each COUNT at most MAX_PENDING_PAGE (1000), resumed strictly
 * after the last id read (`(id`), so it stays correct while the caller acks what it was given.
 *
 * XPENDING's IDLE option is never sent: with it, Redis skips non-matching entries without
 * counting them against COUNT, so on a huge, fresh PEL one call can walk everything. Idle and
 * delivery filters are applied to the rows here (matchesFilter); the consumer filter goes to
 * XPENDING (it walks that consumer's own PEL, still bounded by COUNT).
 */

/** Where one group's walk of its PEL stands; pass it back to read on. */
export interface PelCursor {
  stream: string;
  group: string;
  /** Where the next page starts: `-`, an id, or `(id` (strictly after id). */
  start: string;
  /** Highest id to read, `+` for the end. */
  end: string;
  consumer?: string;
  /** Entries read so far. */
  read: number;
  /** XPENDING calls sent so far. */
  calls: number;
  /** A page came back shorter than asked: the range is read to its end. */
  done: boolean;
}

export function pelCursor(
  stream: string,
  group: string,
  range: { start?: string; end?: string; consumer?: string } = {},
): PelCursor {
  return {
    stream,
    group,
    start: range.start ?? "-",
    end: range.end ?? "+",
    consumer: range.consumer,
    read: 0,
    calls: 0,
    done: false,
  };
}

/** Does a PEL row pass the filter (consumer, idle, deliveries; the id range is the cursor's)? */
export function matchesFilter(row: PendingEntry, filter: PendingFilter): boolean {
  if (filter.consumer !== undefined && row.consumer !== filter.consumer) return false;
  if (filter.minIdleMs !== undefined && row.idleMs < filter.minIdleMs) return false;
  if (filter.minDeliveries !== undefined && row.deliveries < filter.minDeliveries) return false;
  return true;
}

/** The cursor of a filter's PEL range (ids and consumer go to XPENDING). */
export function filterCursor(stream: string, group: string, filter: PendingFilter): PelCursor {
  return pelCursor(stream, group, { start: filter.minId, end: filter.maxId, consumer: filter.consumer });
}

const clampCount = (count: number) => Math.min(Math.max(1, count), MAX_PENDING_PAGE);

function xpendingArgs(c: PelCursor, count: number): (string | number)[] {
  const args: (string | number)[] = [c.stream, c.group, c.start, c.end, count];
  if (c.consumer !== undefined) args.push(c.consumer);
  return args;
}

function advance(c: PelCursor, rows: readonly PendingEntry[], count: number): void {
  c.calls += 1;
  c.read += rows.length;
  const last = rows[rows.length - 1];
  if (last) c.start = `(${last.id}`;
  if (rows.length < count) c.done = true;
}

/** One page of one cursor (COUNT clamped to 1..1000), and the cursor moved past it. */
export async function readPelPage(redis: RedisConnection, cursor: PelCursor, count: number): Promise<PendingEntry[]> {
  const n = clampCount(count);
  // A read, safe to send again: a bulk action on the write connection survives a dropped connection.
  const rows = parsePendingRange(
    await retryOnConnectionLoss(() => redis.call("XPENDING", ...xpendingArgs(cursor, n)), "XPENDING page"),
  );
  advance(cursor, rows, n);
  return rows;
}

/**
 * One page for each cursor, pipelined (`perRound` cursors per round trip), each cursor moved past
 * its page. A reply error is handed to `onError`: "empty" reads it as an empty page (closing that
 * cursor), "throw" (the default) fails the call.
 */
export async function readPelPages(
  redis: RedisConnection,
  asks: readonly { cursor: PelCursor; count: number }[],
  opts: { perRound?: number; onError?: (err: Error) => "empty" | "throw" } = {},
): Promise<PendingEntry[][]> {
  let at = 0;
  const counts = asks.map((a) => clampCount(a.count));
  const replies = await pipelineForKeys(
    redis,
    asks.map((a) => a.cursor.stream),
    (pipe) => {
      const i = at++;
      pipe.call("XPENDING", ...xpendingArgs(asks[i]!.cursor, counts[i]!));
    },
    opts.perRound,
  );
  return asks.map(({ cursor }, i) => {
    const [err, reply] = replies[i]?.[0] ?? [null, []];
    if (err && (opts.onError?.(err) ?? "throw") === "throw") throw err;
    const rows = err ? [] : parsePendingRange(reply);
    advance(cursor, rows, counts[i]!);
    return rows;
  });
}

/** Missing keys and groups read as nothing pending (the key or group vanished since it was listed). */
export function emptyWhenMissing(err: Error): "empty" | "throw" {
  return /no such key|WRONGTYPE|NOGROUP/i.test(err.message) ? "empty" : "throw";
}

/**
 * The pages of one cursor's range, in id order: pages of `pageSize` (at most 1000) until the range
 * ends or `maxEntries` were read (the last page asks only for what is left). Empty pages are not
 * yielded. The cursor tells where it stopped: pass it again to resume.
 */
export async function* pelPages(
  redis: RedisConnection,
  cursor: PelCursor,
  opts: { pageSize?: number; maxEntries?: number } = {},
): AsyncGenerator<PendingEntry[]> {
  const pageSize = clampCount(opts.pageSize ?? MAX_PENDING_PAGE);
  const max = opts.maxEntries ?? Infinity;
  while (!cursor.done && cursor.read < max) {
    const rows = await readPelPage(redis, cursor, Math.min(pageSize, max - cursor.read));
    if (rows.length === 0) return;
    yield rows;
  }
}
