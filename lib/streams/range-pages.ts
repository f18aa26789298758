import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { EntryOrder } from "@/lib/contract/entries";
import { MAX_ID, MIN_ID, compareIds, nextId, previousId } from "@/lib/contract/ids";
import { BatchSizer } from "./answer-limits";
import type { IdRange } from "./range";

/** An XRANGE reply read as Buffers: each entry's id and its flat field/value list. */
export type RangeReply = [Buffer, Buffer[]][];

/** One bounded XRANGE / XREVRANGE over an inclusive range, Buffer variant, undecoded. */
export async function rangeReply(
  redis: RedisConnection,
  key: string,
  range: IdRange,
  order: EntryOrder,
  count: number,
): Promise<RangeReply> {
  return (
    order === "asc"
      ? await redis.xrangeBuffer(key, range.lower, range.upper, "COUNT", count)
      : await redis.xrevrangeBuffer(key, range.upper, range.lower, "COUNT", count)
  ) as RangeReply;
}

/** The part of the range not yet handed out once `rest` follows `lastId` in `order`. */
export function remainder(range: IdRange, lastId: string, order: EntryOrder): IdRange | null {
  if (order === "asc") {
    const lower = nextId(lastId);
    return lower && compareIds(lower, range.upper) <= 0 ? { lower, upper: range.upper } : null;
  }
  const upper = previousId(lastId);
  return upper && compareIds(range.lower, upper) <= 0 ? { lower: range.lower, upper } : null;
}

/** Every id after `lastId` (every id for null), ascending; null when none can follow it. */
export function idsAfter(lastId: string | null): IdRange | null {
  const whole = { lower: MIN_ID, upper: MAX_ID };
  return lastId === null ? whole : remainder(whole, lastId, "asc");
}

/**
 * The entries of a range in `order`, read whole in XRANGE / XREVRANGE pages of about READ_BYTES
 * (BatchSizer: one entry first, then as many of the sizes seen as fit): the entries page, search,
 * the redrive walk, the count of waiting entries, the audit trail and the history samples.
 * `cap()` is asked before each read for the most entries the caller still wants (0 ends the walk),
 * so a caller may change it between pages. `end` on a page: the range holds nothing after it.
 */
export async function* rangePages(
  redis: RedisConnection,
  key: string,
  range: IdRange | null,
  order: EntryOrder,
  cap: () => number,
): AsyncGenerator<{ reply: RangeReply; end: boolean }> {
  const sizer = new BatchSizer();
  for (let rest = range; rest;) {
    const want = cap();
    if (want <= 0) return;
    const n = sizer.next(want);
    const reply = await rangeReply(redis, key, rest, order, n);
    sizer.seen([reply], reply.length);
    const last = reply[reply.length - 1];
    rest = reply.length < n || !last ? null : remainder(rest, last[0].toString(), order);
    yield { reply, end: rest === null };
  }
}
