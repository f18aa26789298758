/**
 * Export of shown entries as JSON or CSV. Pure; used in the browser.
 *
 * CSV layout (lossless): one row per entry, columns `id,field_1,value_1,field_2,value_2,...`
 * padded to the widest entry, so repeated names and their order survive. Values that are not
 * UTF-8 are written as `base64:<bytes in base64>`; a text value that itself starts with
 * `base64:` is written as `text:<value>` (and any text starting with `text:` likewise) so the two
 * can always be told apart. Exports hold what the list shows: a value cut in the list (over
 * FIELD_VALUE_LIMIT_BYTES) is written as `truncated:<bytes>` in CSV and as its marker object in
 * JSON (the whole value: the entry's "Download" or GET /api/streams/{key}/entries/{id}); a text
 * value starting with `truncated:` gets the `text:` prefix too. A cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading
 * apostrophe so a spreadsheet shows it instead of running it as a formula; a value that itself
 * starts with an apostrophe gets one more, so a reader strips exactly one leading apostrophe to
 * get the value back. Cells are quoted per RFC 4180 when needed, lines end in CRLF.
 */
import type { StreamEntry } from "@/lib/contract/entries";
import { isTruncated, type ListValue } from "@/lib/contract/common";
import { csvEscape, type CsvOptions } from "@/lib/shared/csv";

const GUARD: CsvOptions = { guardFormulas: true };

export function csvValue(v: ListValue): string {
  if (isTruncated(v)) return `truncated:${v.bytes}`;
  if (typeof v !== "string") return `base64:${v.base64}`;
  if (v.startsWith("base64:") || v.startsWith("text:") || v.startsWith("truncated:")) return `text:${v}`;
  if (v.startsWith("'")) return `'${v}`;
  return v;
}

export function entriesToCsv(entries: StreamEntry[]): string {
  const width = entries.reduce((max, e) => Math.max(max, e.fields.length), 0);
  const header = ["id"];
  for (let i = 1; i <= width; i++) header.push(`field_${i}`, `value_${i}`);
  const lines = [header.map((c) => csvEscape(c, GUARD)).join(",")];
  for (const e of entries) {
    const cells = [e.id];
    for (let i = 0; i < width; i++) {
      const pair = e.fields[i];
      cells.push(pair ? csvValue(pair[0]) : "", pair ? csvValue(pair[1]) : "");
    }
    lines.push(cells.map((c) => csvEscape(c, GUARD)).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export function entriesToJson(key: string, entries: StreamEntry[]): string {
  return JSON.stringify({ stream: key, exportedAt: new Date().toISOString(), entries }, null, 2);
}

/** A file name safe on every OS for a stream key. */
export function exportFileName(key: string, ext: "json" | "csv"): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "stream";
  return `${safe}-entries.${ext}`;
}
