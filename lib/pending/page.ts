import "server-only";
import type Redis from "ioredis";
import type { FieldPair } from "@/lib/api/types";
import type { PendingEntryRow, PendingPageResponse, PendingQueryParsed, PendingSummaryDto } from "@/lib/api/pending-types";
import { decodeEntries } from "@/lib/streams/codec";
import { parsePendingSummary, type PendingEntry } from "@/lib/streams/xinfo";
import { requireGroup } from "./group";
import { PEL_CHUNK, scanPel, readPelChunk } from "./scan";

/** Most PEL entries one filtered page request may read before it answers with `next`. */
export const PENDING_SCAN_BUDGET = 10_000;

export async function readPendingSummary(redis: Redis, stream: string, group: string): Promise<PendingSummaryDto> {
  return parsePendingSummary(await redis.call("XPENDING", stream, group));
}

/**
 * One page of the group's pending entries, in id order, with a cursor. Without idle or delivery
 * filters it is one XPENDING call. With them, the PEL is read in chunks of 1000 and filtered
 * here until the page is full or PENDING_SCAN_BUDGET entries were read; then `next` continues
 * the scan (and `scanLimited` says the page stopped early).
 */
export async function readPendingPage(
  redis: Redis,
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

  if (!filtered) {
    rows = await readPelChunk(redis, stream, group, { start, end, count: query.count, consumer: query.consumer });
    const last = rows[rows.length - 1];
    next = last && rows.length === query.count ? `(${last.id}` : null;
  } else {
    rows = [];
    next = null;
    let scanned = 0;
    const budget = opts.scanBudget ?? PENDING_SCAN_BUDGET;
    const filter = {
      consumer: query.consumer,
      minIdleMs: query.minIdleMs,
      minDeliveries: query.minDeliveries,
      maxId: end === "+" ? undefined : end,
    };
    for await (const chunk of scanPel(redis, stream, group, filter, { start, chunk: Math.min(PEL_CHUNK, budget) })) {
      scanned += chunk.scanned;
      const room = query.count - rows.length;
      rows.push(...chunk.matched.slice(0, room));
      if (chunk.matched.length >= room) {
        const last = rows[rows.length - 1];
        next = last ? `(${last.id}` : null;
        break;
      }
      if (scanned >= budget) {
        next = `(${chunk.lastId}`;
        scanLimited = true;
        break;
      }
    }
  }

  const [summary, entries] = await Promise.all([summaryPromise, withEntryState(redis, stream, rows, query.withFields === true)]);
  return { summary, entries, next, scanLimited };
}

/**
 * Marks orphaned ids (entry XDEL'd or trimmed) and, when asked, attaches each entry's fields:
 * one pipeline of `XRANGE id id COUNT 1` (Buffer replies, binary safe) for the page.
 */
export async function withEntryState(
  redis: Redis,
  stream: string,
  rows: readonly PendingEntry[],
  withFields: boolean,
): Promise<PendingEntryRow[]> {
  if (rows.length === 0) return [];
  const pipe = redis.pipeline();
  for (const r of rows) pipe.xrangeBuffer(stream, r.id, r.id, "COUNT", 1);
  const replies = (await pipe.exec()) ?? [];
  return rows.map((r, i) => {
    const [err, reply] = replies[i] ?? [null, []];
    if (err) throw err;
    const entry = decodeEntries(reply)[0];
    const row: PendingEntryRow = { ...r, deleted: !entry };
    if (withFields) row.fields = entry ? (entry.fields as FieldPair[]) : null;
    return row;
  });
}
