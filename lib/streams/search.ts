import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { ENTRIES_MAX_COUNT, type EntryOrder, type SearchResponse } from "@/lib/contract/entries";
import type { FieldPair } from "@/lib/contract/common";
import { continuationAfter, requestRange } from "./range";
import { chooseStateGroups, streamAndGroups, withStates } from "./entries";
import { rangePages, rangeReply, remainder } from "./range-pages";
import { cutEntry, decodeEntries, listEntryBytes, type ListEntry } from "./codec";
import { answerBudget, valueLimits } from "./answer-limits";
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
 * Scans at most `scanLimit` entries in pages of about READ_BYTES (rangePages, COUNT ≤ 1000) and
 * returns the matches, values cut, with their states. Whole values are matched; the scan also
 * stops once the matches fill the answer budget. `next` continues right after the last
 * entry read (and kept).
 */
export async function searchEntries(redis: RedisConnection, key: string, input: SearchInput): Promise<SearchResponse> {
  const { chosen: groups, stateGroups } = chooseStateGroups(await streamAndGroups(redis, key), input.groups);
  const range = requestRange(input.start, input.end, input.order);
  const matches: ListEntry[] = [];
  const limits = valueLimits();
  const budget = answerBudget();
  let size = 0;
  let full = false;
  let scanned = 0;
  let lastRead: string | undefined;
  // True once the range holds nothing after lastRead.
  let walked = false;
  const cap = () => Math.min(ENTRIES_MAX_COUNT, input.scanLimit - scanned);
  pages: for await (const { reply, end } of rangePages(redis, key, range, input.order, cap)) {
    const batch = decodeEntries(reply);
    for (const [i, entry] of batch.entries()) {
      if (entryMatches(entry.fields, input.q, input.field)) {
        const cut = cutEntry(entry, limits);
        const bytes = listEntryBytes(cut);
        if (matches.length > 0 && size + bytes > budget) {
          full = true;
          break pages;
        }
        matches.push(cut);
        size += bytes;
      }
      scanned++;
      lastRead = entry.id;
      if (matches.length >= input.count) {
        walked = end && i === batch.length - 1;
        break pages;
      }
    }
    walked = end;
  }
  const rest = range && lastRead !== undefined && !walked ? remainder(range, lastRead, input.order) : null;
  const hasMore = rest !== null && (full || (await rangeReply(redis, key, rest, input.order, 1)).length > 0);
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
