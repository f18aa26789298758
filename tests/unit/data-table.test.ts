import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { cellClasses, DataTable, selectionColumn, type Column, type RowSelection } from "@/components/ui/data-table";

interface Row {
  id: string;
  n: number;
}

const columns: Column<Row>[] = [
  { header: "Id", cellClassName: "font-mono", cell: (r) => r.id },
  { header: "Count", numeric: true, cellClassName: (r) => r.n > 5 && "text-red-700", cell: (r) => String(r.n) },
];

const render = (props: Partial<Parameters<typeof DataTable<Row>>[0]> = {}) =>
  renderToStaticMarkup(
    createElement(DataTable<Row>, {
      label: "Things",
      columns,
      rows: [
        { id: "a", n: 1 },
        { id: "b", n: 9 },
      ],
      rowKey: (r) => r.id,
      ...props,
    }),
  );

describe("cellClasses", () => {
  it("gives a header the density's header classes and the column's, never a cell's own", () => {
    expect(cellClasses(columns[0]!, "compact")).toBe("py-1 pr-2 font-medium");
    expect(cellClasses(columns[1]!, "regular")).toBe("px-2 py-1.5 text-right tabular-nums");
  });

  it("gives a body cell the column's classes and the row's own", () => {
    expect(cellClasses(columns[0]!, "compact", { value: { id: "a", n: 1 } })).toBe("py-1 pr-2 font-mono");
    expect(cellClasses(columns[1]!, "compact", { value: { id: "a", n: 1 } })).toBe("py-1 pr-2 text-right tabular-nums");
    expect(cellClasses(columns[1]!, "compact", { value: { id: "b", n: 9 } })).toBe(
      "py-1 pr-2 text-right tabular-nums text-red-700",
    );
  });
});

describe("DataTable", () => {
  it("renders a named table: one header row of column headers, then a row per item in order", () => {
    const html = render();
    expect(html).toMatch(/^<table class="w-full text-left text-xs" aria-label="Things"><thead class="text-slate-500">/);
    expect(html).toContain('<th scope="col" class="py-1 pr-2 font-medium">Id</th>');
    expect(html.match(/<tr/g)).toHaveLength(3);
    expect(html.indexOf(">a<")).toBeLessThan(html.indexOf(">b<"));
    expect(html).toContain('<td class="py-1 pr-2 text-right tabular-nums text-red-700">9</td>');
  });

  it("puts the row's classes and data attributes on its row and what `after` gives after it", () => {
    const html = render({
      density: "regular",
      rowClassName: "align-top",
      rowData: (r) => ({ "data-id": r.id }),
      after: (r) => (r.id === "a" ? createElement("tr", { className: "detail" }) : null),
    });
    expect(html).toContain('<tr class="border-t border-slate-100 align-top" data-id="a">');
    expect(html).toMatch(
      /data-id="a">.*?<\/tr><tr class="detail"><\/tr><tr class="border-t border-slate-100 align-top" data-id="b">/,
    );
  });
});

describe("DataTable with a selection", () => {
  const rows: Row[] = [
    { id: "a", n: 1 },
    { id: "b", n: 9 },
  ];
  const selection = (selected: string[], onChange: RowSelection<Row>["onChange"] = () => undefined) => ({
    selected: new Set(selected),
    onChange,
    allLabel: "Select all things",
    rowLabel: (r: Row) => `Select thing ${r.id}`,
  });
  type Box = ReactElement<{ checked: boolean; onChange: () => void }>;

  it("puts a named checkbox first in the header and in every row, checked as selected", () => {
    const html = render({ selection: selection(["b"]) });
    expect(html).toContain(
      '<th scope="col" class="py-1 pr-2 font-medium w-8"><input type="checkbox" aria-label="Select all things"/></th>',
    );
    expect(html).toMatch(
      /<tr[^>]*><td class="py-1 pr-2 w-8"><input type="checkbox" aria-label="Select thing a"\/><\/td>/,
    );
    expect(html).toContain('<input type="checkbox" aria-label="Select thing b" checked=""/>');
    expect(html.match(/<th /g)).toHaveLength(3);
  });

  it("toggles a row, forgetting keys no longer listed; the header selects all, or none once all are", () => {
    let next: ReadonlySet<string> = new Set();
    const col = selectionColumn(
      selection(["gone", "b"], (s) => (next = s)),
      rows,
      (r) => r.id,
    );
    (col.cell(rows[0]!) as Box).props.onChange();
    expect([...next]).toEqual(["b", "a"]);
    (col.cell(rows[1]!) as Box).props.onChange();
    expect([...next]).toEqual([]);
    expect((col.header as Box).props.checked).toBe(false);
    (col.header as Box).props.onChange();
    expect([...next]).toEqual(["a", "b"]);

    const full = selectionColumn(
      selection(["a", "b"], (s) => (next = s)),
      rows,
      (r) => r.id,
    );
    expect((full.header as Box).props.checked).toBe(true);
    (full.header as Box).props.onChange();
    expect([...next]).toEqual([]);
  });
});
