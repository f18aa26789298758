import "server-only";
import type Redis from "ioredis";
import type { EntryOrder, SearchResponse } from "@/lib/api/entries-types";
import type { FieldPair } from "@/lib/api/types";
import { continuationAfter, requestRange, type IdRange } from "./range";
import { rangeBatch, remainder, streamAndGroups, withStates } from "./entries";
import type { RawEntry } from "./codec";
import { compareIds } from "./ids";

export interface SearchInput {
  q: string;
  field?: string;
  start?: string;
  end?: string;
  order: EntryOrder;
  scanLimit: number;
  /** Stop once this many matches are found. */
  count: number;
}

const BATCH = 1000;

/** Case-insensitive substring on text values; only fields named exactly `field` when given. */
export function entryMatches(fields: FieldPair[], needle: string, field?: string): boolean {
  const lower = needle.toLowerCase();
  return fields.some(([name, value]) => {
    if (field !== undefined && field !== "" && name !== field) return false;
    return typeof value === "string" && value.toLowerCase().includes(lower);
  });
}

/**
 * Scans at most `scanLimit` entries in XRANGE batches (COUNT ≤ 1000) and returns the matches
 * with their states. `next` continues the scan right after the last entry read.
 */
export async function searchEntries(redis: Redis, key: string, input: SearchInput): Promise<SearchResponse> {
  const groups = await streamAndGroups(redis, key);
  let range: IdRange | null = requestRange(input.start, input.end, input.order);
  const matches: RawEntry[] = [];
  let scanned = 0;
  let lastRead: string | undefined;
  while (range && scanned < input.scanLimit && matches.length < input.count) {
    const want = Math.min(BATCH, input.scanLimit - scanned);
    const batch = await rangeBatch(redis, key, range, input.order, want);
    let stoppedEarly = false;
    for (const entry of batch) {
      scanned++;
      lastRead = entry.id;
      if (entryMatches(entry.fields, input.q, input.field)) matches.push(entry);
      if (matches.length >= input.count) {
        stoppedEarly = !Object.is(entry, batch[batch.length - 1]);
        break;
      }
    }
    if ((batch.length < want && !stoppedEarly) || lastRead === undefined) range = null;
    else range = remainder(range, lastRead, input.order);
  }
  const hasMore = range !== null && lastRead !== undefined && (await rangeBatch(redis, key, range, input.order, 1)).length > 0;
  const ids = matches.map((m) => m.id).sort(compareIds);
  const covered = ids.length ? { lower: ids[0]!, upper: ids[ids.length - 1]! } : null;
  const { entries } = await withStates(redis, key, groups, matches, covered);
  return { entries, scanned, next: hasMore && lastRead ? continuationAfter(lastRead) : null };
}
