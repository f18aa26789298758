/** CSV writing (RFC 4180, CRLF lines). Pure; tested in tests/unit/pending-export.test.ts. */

export type CsvCell = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet evaluate a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: quoted when it holds a comma, quote, CR or LF (quotes doubled); strings that a
 * spreadsheet would run as a formula get a leading apostrophe. Numbers are written as is.
 */
export function csvEscape(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvEscape).join(",")];
  for (const row of rows) lines.push(row.map(csvEscape).join(","));
  return lines.join("\r\n") + "\r\n";
}
