/**
 * The stream list's answers stay under ANSWER_LIMIT_BYTES. A row's JSON is a fixed set of numbers,
 * ids and flags plus its key (and, on a cluster, its master's address; with a firing poison alert,
 * the group's name), so its bytes are known from those strings before Redis is read: pages are cut
 * to the budget first, and only what fits is read. A poison mark is known only once its row is
 * read: a page of the index cuts again after the read; a SCAN cursor page cannot (its cursor is
 * past every key it read), and counts on ROW_FIXED_BYTES's slack (about 90 bytes a row with every
 * number at its longest, 350 on a usual row) for the group's name.
 */
import type { StreamRow, StreamsListResponse } from "@/lib/contract/streams";

/**
 * The most bytes a row's JSON takes besides its key, `node` and poison group: every id, count and
 * time at its longest (checked in tests/unit/list-budget.test.ts).
 */
export const ROW_FIXED_BYTES = 640;

/** The bytes of `s` as a JSON string, quotes and escapes included. */
export function jsonStringBytes(s: string): number {
  return Buffer.byteLength(JSON.stringify(s), "utf8");
}

/** At most the bytes of a row for `key` (with `node`, and a poison mark naming `poisonGroup`). */
export function rowBytes(key: string, node?: string, poisonGroup?: string): number {
  return (
    ROW_FIXED_BYTES +
    jsonStringBytes(key) +
    (node === undefined ? 0 : jsonStringBytes(node)) +
    (poisonGroup === undefined ? 0 : jsonStringBytes(poisonGroup))
  );
}

/**
 * How many of `items`, in order, fit in `budget` bytes at `bytesOf` each: at least one (a page
 * always moves on, even past a single row over the budget).
 */
export function countWithin<T>(items: readonly T[], budget: number, bytesOf: (item: T) => number): number {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    used += bytesOf(items[i]!);
    if (used > budget && i > 0) return i;
  }
  return items.length;
}

/** Room in an answer for `"streams":[]`, `asOf` and counts that change between the guess and the answer. */
const ENVELOPE_MARGIN = 256;

/** At most the bytes of an answer besides its rows, from a guess of it without them. */
export function envelopeBytes(answer: Omit<StreamsListResponse, "streams">): number {
  return Buffer.byteLength(JSON.stringify(answer), "utf8") + ENVELOPE_MARGIN;
}

/** The bytes a row holds at most, from the row itself. */
export function rowBytesOf(row: StreamRow): number {
  return rowBytes(row.key, row.node, row.poison?.group);
}
