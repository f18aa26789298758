import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  MAX_PENDING_PAGE,
  type PendingEntryRow,
  type PendingPageResponse,
  type PendingQueryParsed,
  type PendingSummaryDto,
} from "@/lib/contract/pending";
import { decodeListEntries, listEntryBytes } from "@/lib/streams/codec";
import { BatchSizer, answerBudget, valueLimits } from "@/lib/streams/answer-limits";
import { parsePendingSummary, type PendingEntry } from "@/lib/streams/xinfo";
import { compareIds } from "@/lib/contract/ids";
import { requireGroup } from "./group";
import { matchesFilter, pelCursor, pelPages, readPelPage } from "./pel";
import { execWithOneTimer } from "@/lib/redis/pipeline-exec";

/** Most PEL entries one filtered page request may read before it answers with `next`. */
export const PENDING_SCAN_BUDGET = 10_000;

export async function readPendingSummary(
  redis: RedisConnection,
  stream: string,
  group: string,
): Promise<PendingSummaryDto> {
  return parsePendingSummary(await redis.call("XPENDING", stream, group));
}

/**
 * One page of the group's pending entries, in id order, with a cursor. Without idle or delivery
 * filters it is one XPENDING call. With them, the PEL is read in chunks of 1000 and filtered
 * here until the page is full or PENDING_SCAN_BUDGET entries were read; then `next` continues
 * the scan (and `scanLimited` says the page stopped early).
 */
export async function readPendingPage(
  redis: RedisConnection,
  stream: string,
  group: string,
  query: PendingQueryParsed,
  opts: { scanBudget?: number } = {},
): Promise<PendingPageResponse> {
  await requireGroup(redis, stream, group);
  const filtered = query.minIdleMs !== undefined || query.minDeliveries !== undefined;
  const start = query.start ?? "-";
  const end = query.end ?? "+";

  let rows: PendingEntry[];
  let next: string | null;
  let scanLimited = false;
  const summaryPromise = readPendingSummary(redis, stream, group);
  // Awaited after the page reads below: if those throw first (the key deleted meanwhile), its failure must not go unhandled.
  summaryPromise.catch(() => undefined);

  if (!filtered) {
    rows = await readPelPage(redis, pelCursor(stream, group, { start, end, consumer: query.consumer }), query.count);
    const last = rows[rows.length - 1];
    next = last && rows.length === query.count ? `(${last.id}` : null;
  } else {
    rows = [];
    next = null;
    const budget = opts.scanBudget ?? PENDING_SCAN_BUDGET;
    const filter = { minIdleMs: query.minIdleMs, minDeliveries: query.minDeliveries };
    const cursor = pelCursor(stream, group, { start, end, consumer: query.consumer });
    for await (const page of pelPages(redis, cursor, { pageSize: Math.min(MAX_PENDING_PAGE, budget) })) {
      const matched = page.filter((r) => matchesFilter(r, filter));
      const room = query.count - rows.length;
      rows.push(...matched.slice(0, room));
      if (matched.length >= room) {
        const last = rows[rows.length - 1];
        next = last ? `(${last.id}` : null;
        break;
      }
      if (cursor.read >= budget) {
        next = cursor.start;
        scanLimited = true;
        break;
      }
    }
  }

  const [summary, entries] = await Promise.all([
    summaryPromise,
    withEntryState(redis, stream, rows, query.withFields === true),
  ]);
  const lastKept = entries[entries.length - 1];
  if (entries.length < rows.length && lastKept) next = `(${lastKept.id}`;
  return { summary, entries, next, scanLimited };
}

/**
 * Marks orphaned ids (entry XDEL'd or trimmed) and, when asked, attaches each entry's fields, long
 * values cut: by readEntriesById (Buffer replies, binary safe), each batch sized to about
 * READ_BYTES by the entries seen. With fields, the rows stop before the one that
 * would take the answer past the byte budget (the caller hands out `next` from the last row kept).
 */
export async function withEntryState(
  redis: RedisConnection,
  stream: string,
  rows: readonly PendingEntry[],
  withFields: boolean,
): Promise<PendingEntryRow[]> {
  const limits = valueLimits();
  const budget = answerBudget();
  const sizer = new BatchSizer();
  const out: PendingEntryRow[] = [];
  let size = 0;
  const ranges = { worth: true };
  while (out.length < rows.length) {
    const slice = rows.slice(out.length, out.length + sizer.next(rows.length - out.length));
    const found = await readEntriesById(
      redis,
      stream,
      slice.map((r) => r.id),
      ranges,
    );
    sizer.seen(found, slice.length);
    for (const [i, r] of slice.entries()) {
      const entry = decodeListEntries(found[i], limits)[0];
      const row: PendingEntryRow = { ...r, deleted: !entry };
      if (withFields) {
        row.fields = entry ? entry.fields : null;
        if (entry?.fieldsOmitted) row.fieldsOmitted = entry.fieldsOmitted;
        const bytes = entry ? listEntryBytes(entry) : 0;
        if (out.length > 0 && size + bytes > budget) return out;
        size += bytes;
      }
      out.push(row);
    }
  }
  return out;
}

/**
 * The entries of these ids (ascending), each as `XRANGE id id` answers it (Buffer replies, an empty
 * list for an id no longer in the stream). Pending ids are often the stream's consecutive entries:
 * one `XRANGE first last COUNT n` answers them all, reading no more entries than the per-id reads
 * would. The ids it leaves open (the range held other entries first) are read one by one, and once
 * a range settles fewer than half of its ids, the later batches of the page go straight to per-id reads.
 */
async function readEntriesById(
  redis: RedisConnection,
  stream: string,
  ids: readonly string[],
  ranges: { worth: boolean },
): Promise<unknown[]> {
  const out: (unknown[] | undefined)[] = ids.map(() => undefined);
  const ascending = ids.every((id, i) => i === 0 || compareIds(ids[i - 1]!, id) < 0);
  if (ranges.worth && ascending && ids.length > 1) {
    const range = (await redis.xrangeBuffer(stream, ids[0]!, ids[ids.length - 1]!, "COUNT", ids.length)) as [
      Buffer,
      Buffer[],
    ][];
    const byId = new Map(range.map((entry) => [entry[0].toString(), entry]));
    // A full reply may have stopped before the last id: the ids after its last entry stay open.
    const settledTo = range.length < ids.length ? null : range[range.length - 1]![0].toString();
    let settled = 0;
    ids.forEach((id, i) => {
      if (settledTo !== null && compareIds(id, settledTo) > 0) return;
      const entry = byId.get(id);
      out[i] = entry ? [entry] : [];
      settled++;
    });
    if (settled * 2 < ids.length) ranges.worth = false;
  }
  const open = ids.flatMap((id, i) => (out[i] === undefined ? [i] : []));
  if (open.length > 0) {
    const pipe = redis.pipeline();
    for (const i of open) pipe.xrangeBuffer(stream, ids[i]!, ids[i]!, "COUNT", 1);
    const replies = await execWithOneTimer(redis, pipe);
    open.forEach((at, k) => {
      const [err, reply] = replies[k] ?? [null, []];
      if (err) throw err;
      out[at] = reply as unknown[];
    });
  }
  return out as unknown[][];
}
