/** CSV writing (RFC 4180, CRLF lines), shared by every export. Pure. */

export type CsvCell = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet evaluate a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export interface CsvOptions {
  /**
   * Prefix cells a spreadsheet would run as a formula with an apostrophe. Every export turns it
   * on; one that must round-trip data exactly also prefixes cells that already start with an
   * apostrophe, so a reader strips one leading apostrophe (lib/shared/export-format.ts).
   */
  guardFormulas?: boolean;
}

/** One cell: quoted when it holds a comma, quote, CR or LF, or starts or ends with white space. */
export function csvEscape(value: CsvCell, opts: CsvOptions = {}): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = opts.guardFormulas && FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], opts: CsvOptions = {}): string {
  const lines = [header.map((h) => csvEscape(h, opts)).join(",")];
  for (const row of rows) lines.push(row.map((c) => csvEscape(c, opts)).join(","));
  return lines.join("\r\n") + "\r\n";
}
