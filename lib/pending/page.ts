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
import { readEntriesById } from "@/lib/streams/entries-by-id";
import { BatchSizer, answerBudget, valueLimits } from "@/lib/streams/answer-limits";
import { parsePendingSummary, type PendingEntry } from "@/lib/streams/xinfo";
import { requireGroup } from "./group";
import { matchesFilter, pelCursor, pelPages, readPelPage } from "./pel";

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
