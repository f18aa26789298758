import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { cellClasses, DataTable, type Column } from "@/components/ui/data-table";

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
