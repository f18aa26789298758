import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  STATE_GROUPS_MAX,
  type EntriesResponse,
  type EntryOrder,
  type StateGroups,
  type StreamEntry,
} from "@/lib/contract/entries";
import { badRequest, notFound, wrongType } from "@/lib/errors";
import { decodeEntries, decodeListEntries, listEntryBytes, type ListEntry, type RawEntry } from "./codec";
import { answerBudget, valueLimits } from "./answer-limits";
import { rangePages, rangeReply, remainder } from "./range-pages";
import { formatId, isFullId, parseId } from "@/lib/contract/ids";
import { readPelSlices } from "./pel-range";
import { continuationAfter, requestRange, type IdRange } from "./range";
import { classifyEntries, findOrphans } from "@/lib/shared/states";
import { byBusiest, parseGroups, type GroupInfo } from "./xinfo";

export interface ReadEntriesInput {
  start?: string;
  end?: string;
  count: number;
  order: EntryOrder;
  /** The groups whose state to show; default: all, or the STATE_GROUPS_MAX busiest. */
  groups?: string[];
}

/**
 * The groups a page shows states for: the ones asked for (names the stream lacks are left out),
 * else all of them up to STATE_GROUPS_MAX, else the STATE_GROUPS_MAX with the most pending messages,
 * then the longest lag, in the stream's group order. `stateGroups` says so when some are left out.
 */
export function chooseStateGroups(
  groups: GroupInfo[],
  wanted?: readonly string[],
): { chosen: GroupInfo[]; stateGroups?: StateGroups } {
  if (!wanted && groups.length <= STATE_GROUPS_MAX) return { chosen: groups };
  const picked = wanted
    ? new Set(wanted)
    : new Set(
        [...groups]
          .sort(byBusiest)
          .slice(0, STATE_GROUPS_MAX)
          .map((g) => g.name),
      );
  const chosen = groups.filter((g) => picked.has(g.name));
  return { chosen, stateGroups: { shown: chosen.map((g) => g.name), total: groups.length } };
}

/** One bounded XRANGE / XREVRANGE over an inclusive range, Buffer variant. */
export async function rangeBatch(
  redis: RedisConnection,
  key: string,
  range: IdRange,
  order: EntryOrder,
  count: number,
): Promise<RawEntry[]> {
  return decodeEntries(await rangeReply(redis, key, range, order, count));
}

/**
 * Up to `want` entries, values cut, read in pages of about READ_BYTES (rangePages). Stops before the
 * entry that would take the answer past the byte budget (`overBudget`: there is more).
 */
async function readListPage(
  redis: RedisConnection,
  key: string,
  range: IdRange,
  order: EntryOrder,
  want: number,
): Promise<{ entries: ListEntry[]; overBudget: boolean }> {
  const limits = valueLimits();
  const budget = answerBudget();
  const entries: ListEntry[] = [];
  let size = 0;
  for await (const { reply } of rangePages(redis, key, range, order, () => want - entries.length)) {
    for (const e of decodeListEntries(reply, limits)) {
      const bytes = listEntryBytes(e);
      if (entries.length > 0 && size + bytes > budget) return { entries, overBudget: true };
      entries.push(e);
      size += bytes;
    }
  }
  return { entries, overBudget: false };
}

/** TYPE and XINFO GROUPS in one round trip; 404 / 409 for a missing key or another type. */
export async function streamAndGroups(redis: RedisConnection, key: string): Promise<GroupInfo[]> {
  const replies = (await redis.pipeline().type(key).call("XINFO", "GROUPS", key).exec()) ?? [];
  const [typeErr, type] = replies[0] ?? [null, "none"];
  if (typeErr) throw typeErr;
  if (type === "none") throw notFound(`No stream named "${key}"`);
  if (type !== "stream") throw wrongType(key, String(type));
  const [groupsErr, groups] = replies[1] ?? [null, []];
  if (groupsErr) throw groupsErr;
  return parseGroups(groups);
}

/** The id range a page covers: from the request's start to its last entry, or to the end when it is the last page. */
function coveredRange(range: IdRange, lastId: string | undefined, hasNext: boolean, order: EntryOrder): IdRange {
  if (!hasNext || lastId === undefined) return range;
  return order === "asc" ? { lower: range.lower, upper: lastId } : { lower: lastId, upper: range.upper };
}

/** Adds per-group states to entries and finds orphaned PEL ids over `covered`. */
export async function withStates<E extends ListEntry>(
  redis: RedisConnection,
  key: string,
  groups: GroupInfo[],
  raw: E[],
  covered: IdRange | null,
): Promise<{ entries: (E & StreamEntry)[]; orphaned: EntriesResponse["orphaned"] }> {
  if (!covered || groups.length === 0) {
    return { entries: raw.map((e) => ({ ...e, states: {} })), orphaned: { count: 0, ids: [], truncated: false } };
  }
  const { snapshots, truncated } = await readPelSlices(redis, key, groups, covered.lower, covered.upper, raw.length);
  const ids = raw.map((e) => e.id);
  const states = classifyEntries(ids, snapshots);
  const orphanIds = findOrphans(ids, snapshots);
  return {
    entries: raw.map((e) => ({ ...e, states: states.get(e.id) ?? {} })),
    orphaned: { count: orphanIds.length, ids: orphanIds, truncated },
  };
}

/**
 * A page of entries with each group's state, values cut (lib/streams/codec.ts cutValue) and the
 * page stopped early at the answer budget. Commands: TYPE + XINFO GROUPS (one round trip),
 * XRANGE/XREVRANGE batches sized to about READ_BYTES each, one COUNT 1 look-ahead when the page
 * is full (so `next` is null exactly at the end), one XPENDING range query per group shown (at most
 * STATE_GROUPS_MAX) over the page's id range.
 */
export async function readEntries(
  redis: RedisConnection,
  key: string,
  input: ReadEntriesInput,
): Promise<EntriesResponse> {
  const range = requestRange(input.start, input.end, input.order);
  const { chosen: groups, stateGroups } = chooseStateGroups(await streamAndGroups(redis, key), input.groups);
  const shown = stateGroups ? { stateGroups } : {};
  if (!range) return { entries: [], next: null, orphaned: { count: 0, ids: [], truncated: false }, ...shown };

  const page = await readListPage(redis, key, range, input.order, input.count);
  const raw = page.entries;
  const last = raw[raw.length - 1];
  let hasNext = page.overBudget;
  if (!hasNext && last && raw.length === input.count) {
    const rest = remainder(range, last.id, input.order);
    hasNext =
      rest !== null &&
      (await rangeReply(redis, key, rest, input.order, 1).then((r) => Array.isArray(r) && r.length > 0));
  }
  const covered = coveredRange(range, last?.id, hasNext, input.order);
  const { entries, orphaned } = await withStates(redis, key, groups, raw, covered);
  return { entries, next: hasNext && last ? continuationAfter(last.id) : null, orphaned, ...shown };
}

/** One entry whole, values uncut: the one answer allowed past the byte budget. 404 when missing. */
export async function readEntry(redis: RedisConnection, key: string, rawId: string): Promise<StreamEntry> {
  const parsed = isFullId(rawId) ? parseId(rawId) : null;
  if (!parsed) throw badRequest(`Invalid entry id "${rawId}": use ms-seq`);
  const id = formatId(parsed);
  const { chosen: groups } = chooseStateGroups(await streamAndGroups(redis, key));
  const entry = (await rangeBatch(redis, key, { lower: id, upper: id }, "asc", 1))[0];
  if (!entry) throw notFound(`No entry ${id} in "${key}"`);
  const { entries } = await withStates(redis, key, groups, [entry], { lower: id, upper: id });
  return entries[0]!;
}
