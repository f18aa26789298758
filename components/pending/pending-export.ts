/** Export of the filtered pending list: walk the cursor (with a cap) and write CSV or JSON. Pure. */
import { formatTime } from "@/lib/shared/format";
import { idToTimeMs, isValidId } from "@/lib/contract/ids";
import { toCsv } from "@/lib/shared/csv";

export const EXPORT_CAP = 100_000;
export const EXPORT_PAGE_SIZE = 1000;

export interface ExportRow {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
  deleted: boolean;
}

export interface PageOf<T> {
  entries: T[];
  next: string | null;
}

export interface CollectResult<T> {
  rows: T[];
  /** True when the cap stopped the walk before the list ended. */
  truncated: boolean;
}

/**
 * Follows `next` from page to page until the end or `cap` rows. `fetchPage(null)` is the first
 * page. Stops on abort; a page that answers the cursor it was given ends the walk (no loop).
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | null) => Promise<PageOf<T>>,
  opts: { cap?: number; onProgress?: (rows: number) => void; signal?: AbortSignal } = {},
): Promise<CollectResult<T>> {
  const cap = opts.cap ?? EXPORT_CAP;
  const rows: T[] = [];
  let cursor: string | null = null;
  for (;;) {
    if (opts.signal?.aborted) throw new DOMException("Export cancelled", "AbortError");
    const page: PageOf<T> = await fetchPage(cursor);
    for (const entry of page.entries) {
      if (rows.length >= cap) return { rows, truncated: true };
      rows.push(entry);
    }
    opts.onProgress?.(rows.length);
    if (page.next === null || page.next === cursor) return { rows, truncated: false };
    if (rows.length >= cap) return { rows, truncated: true };
    cursor = page.next;
  }
}

export function producedAt(id: string): string {
  return isValidId(id) ? formatTime(idToTimeMs(id)) : "";
}

export const CSV_HEADER = ["id", "produced_at", "consumer", "idle_ms", "deliveries", "message_deleted"] as const;

export function pendingToCsv(rows: readonly ExportRow[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map((r) => [r.id, producedAt(r.id), r.consumer, r.idleMs, r.deliveries, r.deleted]),
    { guardFormulas: true },
  );
}

export function pendingToJson(rows: readonly ExportRow[], meta: Record<string, unknown>): string {
  return JSON.stringify(
    {
      ...meta,
      count: rows.length,
      entries: rows.map((r) => ({
        id: r.id,
        producedAt: producedAt(r.id) || null,
        consumer: r.consumer,
        idleMs: r.idleMs,
        deliveries: r.deliveries,
        deleted: r.deleted,
      })),
    },
    null,
    2,
  );
}

/** A file name safe on every OS: `pending-<stream>-<group>-<time>.csv`. */
export function exportFileName(stream: string, group: string, ext: "csv" | "json", now = new Date()): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60) || "_";
  const stamp = now
    .toISOString()
    .replace(/[:.]/g, "-")
    .replace(/-\d{3}Z$/, "Z");
  return `pending-${clean(stream)}-${clean(group)}-${stamp}.${ext}`;
}
