import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { ENTRIES_MAX_COUNT, type EntryOrder, type SearchResponse } from "@/lib/contract/entries";
import type { FieldPair } from "@/lib/contract/common";
import { continuationAfter, requestRange, type IdRange } from "./range";
import { chooseStateGroups, rangeReply, remainder, streamAndGroups, withStates } from "./entries";
import { cutEntry, decodeEntries, listEntryBytes, type ListEntry } from "./codec";
import { BatchSizer, answerBudget, valueLimits } from "./answer-limits";
import { compareIds } from "@/lib/contract/ids";

export interface SearchInput {
  q: string;
  field?: string;
  start?: string;
  end?: string;
  order: EntryOrder;
  scanLimit: number;
  /** Stop once this many matches are found. */
  count: number;
  groups?: string[];
}

/** Case-insensitive substring on text values; only fields named exactly `field` when given. */
export function entryMatches(fields: FieldPair[], needle: string, field?: string): boolean {
  const lower = needle.toLowerCase();
  return fields.some(([name, value]) => {
    if (field !== undefined && field !== "" && name !== field) return false;
    return typeof value === "string" && value.toLowerCase().includes(lower);
  });
}

/**
 * Scans at most `scanLimit` entries in XRANGE batches (COUNT ≤ 1000, sized to about READ_BYTES a
 * reply) and returns the matches, values cut, with their states. Whole values are matched; the
 * scan also stops once the matches fill the answer budget. `next` continues right after the last
 * entry read (and kept).
 */
export async function searchEntries(redis: RedisConnection, key: string, input: SearchInput): Promise<SearchResponse> {
  const { chosen: groups, stateGroups } = chooseStateGroups(await streamAndGroups(redis, key), input.groups);
  let range: IdRange | null = requestRange(input.start, input.end, input.order);
  const matches: ListEntry[] = [];
  const limits = valueLimits();
  const budget = answerBudget();
  const sizer = new BatchSizer();
  let size = 0;
  let full = false;
  let scanned = 0;
  let lastRead: string | undefined;
  while (range && scanned < input.scanLimit && matches.length < input.count && !full) {
    const want = sizer.next(Math.min(ENTRIES_MAX_COUNT, input.scanLimit - scanned));
    const reply = await rangeReply(redis, key, range, input.order, want);
    const batch = decodeEntries(reply);
    sizer.seen([reply], batch.length);
    let stoppedEarly = false;
    for (const entry of batch) {
      if (entryMatches(entry.fields, input.q, input.field)) {
        const cut = cutEntry(entry, limits);
        const bytes = listEntryBytes(cut);
        if (matches.length > 0 && size + bytes > budget) {
          full = true;
          stoppedEarly = true;
          break;
        }
        matches.push(cut);
        size += bytes;
      }
      scanned++;
      lastRead = entry.id;
      if (matches.length >= input.count) {
        stoppedEarly = !Object.is(entry, batch[batch.length - 1]);
        break;
      }
    }
    if ((batch.length < want && !stoppedEarly) || lastRead === undefined) range = null;
    else range = remainder(range, lastRead, input.order);
  }
  const hasMore =
    range !== null &&
    lastRead !== undefined &&
    (full || (await rangeReply(redis, key, range, input.order, 1).then((r) => Array.isArray(r) && r.length > 0)));
  const ids = matches.map((m) => m.id).sort(compareIds);
  const covered = ids.length ? { lower: ids[0]!, upper: ids[ids.length - 1]! } : null;
  const { entries } = await withStates(redis, key, groups, matches, covered);
  return {
    entries,
    scanned,
    next: hasMore && lastRead ? continuationAfter(lastRead) : null,
    ...(stateGroups ? { stateGroups } : {}),
  };
}
