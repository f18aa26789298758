import { describe, expect, it } from "vitest";
import {
  layoutPages,
  locate,
  pageCount,
  pageRows,
  pagesBetween,
  rowAt,
  shapePage,
  type DisplayRow,
} from "@/components/overview/overview-rows";
import { groupFamilies } from "@/lib/shared/families";
import { streamRow as row } from "../helpers/stream-row";

const ids = (rows: readonly DisplayRow[]) => rows.map((r) => r.id);

describe("overview rows: one virtual list over the pages of the stream index", () => {
  it("counts pages, the last one partial", () => {
    expect([pageCount(0, 200), pageCount(200, 200), pageCount(201, 200), pageCount(100_000, 200)]).toEqual([
      0, 1, 2, 500,
    ]);
  });

  it("lays out 100,000 streams as placeholders until pages load, each page where its keys are", () => {
    const layout = layoutPages(100_000, 200, () => undefined);
    expect(layout.count).toBe(100_000);
    expect(layout.sizes).toHaveLength(500);
    expect(locate(layout, 0)).toEqual({ page: 0, at: 0 });
    expect(locate(layout, 199)).toEqual({ page: 0, at: 199 });
    expect(locate(layout, 200)).toEqual({ page: 1, at: 0 });
    expect(locate(layout, 99_999)).toEqual({ page: 499, at: 199 });
    expect(rowAt(layout, 54_321, () => undefined)).toEqual({
      kind: "placeholder",
      id: "placeholder/54321",
      page: 271,
      position: 54_321,
    });
    const partial = layoutPages(1205, 200, () => undefined);
    expect(partial.sizes.at(-1)).toBe(5);
    expect(partial.count).toBe(1205);
  });

  it("a loaded page takes as many rows as it shows: families fold, the pages after it move up", () => {
    const rows = [row("a"), row("orders_2026112500"), row("orders_2026112501"), row("z")];
    const shaped = shapePage(rows, 1, [], { id: "name", desc: false }, new Set());
    expect(ids(shaped)).toEqual(["1/stream:a", "1/family:orders_<yyyyMMddHH>", "1/stream:z"]);
    const layout = layoutPages(10, 4, (p) => (p === 1 ? shaped.length : undefined));
    expect(layout.sizes).toEqual([4, 3, 2]);
    expect(layout.starts).toEqual([0, 4, 7]);
    expect(layout.count).toBe(9);
    const rowsOf = (p: number) => (p === 1 ? shaped : undefined);
    expect(rowAt(layout, 5, rowsOf).id).toBe("1/family:orders_<yyyyMMddHH>");
    expect(rowAt(layout, 7, rowsOf)).toMatchObject({ kind: "placeholder", page: 2, position: 8 });
    expect(rowAt(layout, 3, rowsOf)).toMatchObject({ kind: "placeholder", page: 0, position: 3 });
  });

  it("an open family is followed by its retention panel and its members, newest first", () => {
    const items = groupFamilies([row("orders_2026112500"), row("orders_2026112501"), row("b")]);
    const open = pageRows(items, 0, new Set(["family:orders_<yyyyMMddHH>"]));
    expect(open.map((r) => r.kind)).toEqual(["item", "retention", "member", "member", "item"]);
    expect(open[0]).toMatchObject({ kind: "item", open: true });
    expect(open.filter((r) => r.kind === "member").map((r) => (r.kind === "member" ? r.row.key : ""))).toEqual([
      "orders_2026112501",
      "orders_2026112500",
    ]);
    expect(new Set(ids(open)).size).toBe(open.length);
    const closed = pageRows(items, 0, new Set());
    expect(closed.map((r) => r.kind)).toEqual(["item", "item"]);
  });

  it("sorting applies within the page", () => {
    const shaped = shapePage(
      [row("a", { pending: 1 }), row("b", { pending: 9 }), row("c", { pending: 5 })],
      0,
      [],
      { id: "pending", desc: true },
      new Set(),
    );
    expect(ids(shaped)).toEqual(["0/stream:b", "0/stream:c", "0/stream:a"]);
  });

  it("names the pages a range of rows falls in, across loaded and empty pages", () => {
    const layout = layoutPages(1000, 200, () => undefined);
    expect(pagesBetween(layout, 0, 30)).toEqual([0]);
    expect(pagesBetween(layout, 190, 230)).toEqual([0, 1]);
    expect(pagesBetween(layout, 950, 5000)).toEqual([4]);
    expect(pagesBetween(layout, 10, 5)).toEqual([]);
    expect(
      pagesBetween(
        layoutPages(0, 200, () => undefined),
        0,
        10,
      ),
    ).toEqual([]);
    // Page 1 loaded empty (its keys vanished): it has no rows, and row 200 is page 2's first.
    const gap = layoutPages(600, 200, (p) => (p === 1 ? 0 : undefined));
    expect(gap.count).toBe(400);
    expect(locate(gap, 200)).toEqual({ page: 2, at: 0 });
    expect(locate(gap, 199)).toEqual({ page: 0, at: 199 });
  });
});
