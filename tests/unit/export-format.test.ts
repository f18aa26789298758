import { describe, expect, it } from "vitest";
import { csvEscape as escapeCsvCell } from "@/lib/shared/csv";
import { csvValue, entriesToCsv, exportFileName } from "@/lib/shared/export-format";

describe("escapeCsvCell", () => {
  it("leaves plain cells alone", () => {
    expect(escapeCsvCell("abc")).toBe("abc");
    expect(escapeCsvCell("")).toBe("");
  });
  it("quotes commas, quotes, newlines and edge spaces, doubling quotes", () => {
    expect(escapeCsvCell("a,b")).toBe('"a,b"');
    expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(escapeCsvCell("a\r\nb")).toBe('"a\r\nb"');
    expect(escapeCsvCell(" padded ")).toBe('" padded "');
  });
});

describe("csvValue", () => {
  it("marks binary values and disambiguates text that looks like a marker", () => {
    expect(csvValue({ base64: "/w==" })).toBe("base64:/w==");
    expect(csvValue("base64:/w==")).toBe("text:base64:/w==");
    expect(csvValue("text:x")).toBe("text:text:x");
    expect(csvValue("plain")).toBe("plain");
  });

  it("writes a value cut in the list as its size, and text that looks like that marker with text:", () => {
    expect(csvValue({ truncated: true, bytes: 2097152, preview: "aaa" })).toBe("truncated:2097152");
    expect(csvValue({ truncated: true, bytes: 20000, previewBase64: "/w==" })).toBe("truncated:20000");
    expect(csvValue("truncated:5")).toBe("text:truncated:5");
  });
});

describe("entriesToCsv", () => {
  it("writes one row per entry with ordered name/value pairs, repeats kept, padded to the widest", () => {
    const csv = entriesToCsv([
      {
        id: "1-0",
        fields: [
          ["a", "1"],
          ["a", "2"],
        ],
        states: {},
      },
      { id: "2-0", fields: [["note", 'x, "y"']], states: {} },
    ]);
    expect(csv).toBe('id,field_1,value_1,field_2,value_2\r\n1-0,a,1,a,2\r\n2-0,note,"x, ""y""",,\r\n');
  });
});

describe("entriesToCsv formula guard", () => {
  /** A spreadsheet-style reader: one leading apostrophe is the guard, then the markers. */
  const readCell = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

  it("never writes a cell a spreadsheet would run as a formula, and stays lossless", () => {
    const values = [
      '=HYPERLINK("http://evil.example","x")',
      "+1+2",
      "-5",
      "@SUM(A1)",
      "\tx",
      "'quoted",
      "''two",
      "plain",
    ];
    const csv = entriesToCsv([
      { id: "1-0", fields: values.map((v, i) => [i === 0 ? "=name" : `f${i}`, v] as [string, string]), states: {} },
    ]);
    const row = csv.split("\r\n")[1]!;
    expect(row).not.toMatch(/(^|,)"?[=+\-@\t]/);
    expect(row).toContain("'=HYPERLINK");
    expect(row).toContain(",'-5,");
    expect(row.startsWith("1-0,'=name,")).toBe(true);
    const cells = row
      .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
      .map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
    const read = cells
      .slice(1)
      .filter((_c, i) => i % 2 === 1)
      .map(readCell);
    expect(read).toEqual(values);
  });
});

describe("exportFileName", () => {
  it("keeps only safe characters", () => {
    expect(exportFileName("a/b c?{x}", "csv")).toBe("a_b_c_x_-entries.csv");
  });
});
