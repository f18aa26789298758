import { describe, expect, it } from "vitest";
import {
  blocksText,
  defaultSort,
  discoveryText,
  problemsOrderText,
  filterToMatch,
  highlights,
  countText,
  nextSort,
  nodeText,
  poisonHref,
  poisonOf,
  poisonOfRows,
  lagText,
  shapeOverview,
  sortItems,
  streamHref,
} from "@/components/overview/overview-table";
import { groupFamilies } from "@/lib/shared/families";
import { streamRow as row } from "../helpers/stream-row";
import { globMatch } from "@/lib/shared/glob";

const rows = [
  row("b", { length: 5, pending: 2, lag: 3, ttlMs: 1000, memoryBytes: 10, lastEntryTime: 50, oldestPendingMs: 40_000 }),
  row("a", { length: 10, pending: 0, lag: null, ttlMs: null, memoryBytes: 30, lastEntryTime: 10 }),
  row("c", { length: 1, pending: 7, lag: 9, ttlMs: 500, memoryBytes: null, lastEntryTime: 90, oldestPendingMs: 1000 }),
  row("orders_2026112500", { length: 3, pending: 1, lag: 1, memoryBytes: 5, lastEntryTime: 20 }),
  row("orders_2026112501", { length: 4, pending: 1, lag: 2, memoryBytes: 5, lastEntryTime: 30 }),
];

const names = (items: { name: string }[]) => items.map((i) => i.name);

describe("overview shaping", () => {
  it("groups families before sorting and sorts by name", () => {
    expect(names(shapeOverview(rows, [], { id: "name", desc: false }))).toEqual(["a", "b", "c", "orders_<yyyyMMddHH>"]);
    expect(names(shapeOverview(rows, [], { id: "name", desc: true }))).toEqual(["orders_<yyyyMMddHH>", "c", "b", "a"]);
  });
  it("sorts numbers numerically, family totals included", () => {
    expect(names(shapeOverview(rows, [], { id: "length", desc: true }))).toEqual([
      "a",
      "orders_<yyyyMMddHH>",
      "b",
      "c",
    ]);
    expect(names(shapeOverview(rows, [], { id: "pending", desc: true }))).toEqual([
      "c",
      "b",
      "orders_<yyyyMMddHH>",
      "a",
    ]);
    expect(names(shapeOverview(rows, [], { id: "memoryBytes", desc: false }))).toEqual([
      "b",
      "orders_<yyyyMMddHH>",
      "a",
      "c",
    ]);
    expect(names(shapeOverview(rows, [], { id: "lastEntryTime", desc: true }))).toEqual([
      "c",
      "b",
      "orders_<yyyyMMddHH>",
      "a",
    ]);
  });
  it("puts missing values last in both directions", () => {
    expect(names(shapeOverview(rows, [], { id: "lag", desc: false }))).toEqual(["orders_<yyyyMMddHH>", "b", "c", "a"]);
    expect(names(shapeOverview(rows, [], { id: "lag", desc: true }))).toEqual(["c", "b", "orders_<yyyyMMddHH>", "a"]);
    expect(names(shapeOverview(rows, [], { id: "ttlMs", desc: false })).slice(0, 2)).toEqual(["c", "b"]);
    expect(names(shapeOverview(rows, [], { id: "ttlMs", desc: true })).slice(0, 2)).toEqual(["b", "c"]);
    expect(names(shapeOverview(rows, [], { id: "oldestPendingMs", desc: true }))).toEqual([
      "b",
      "c",
      "a",
      "orders_<yyyyMMddHH>",
    ]);
  });
  it("breaks ties by name and keeps the input without a sort", () => {
    const tied = [row("z", { length: 1 }), row("y", { length: 1 })];
    expect(names(sortItems(groupFamilies(tied), { id: "length", desc: true }))).toEqual(["y", "z"]);
    expect(names(sortItems(groupFamilies(tied), null))).toEqual(["z", "y"]);
  });
  it("a configured pattern turns a single dated key into a family row", () => {
    const items = shapeOverview([row("orders_2026112500")], ["orders_<yyyyMMddHH>"], null);
    expect(items[0]!.kind).toBe("family");
  });
});

describe("cells", () => {
  it("words the lag as an estimate, unknown, or absent", () => {
    expect(lagText({ lag: 1234, lagUnknown: false, groupCount: 1 })).toBe("≈1,234");
    expect(lagText({ lag: 5, lagUnknown: true, groupCount: 2 })).toBe("≈5 (some unknown)");
    expect(lagText({ lag: null, lagUnknown: true, groupCount: 1 })).toBe("unknown");
    expect(lagText({ lag: null, lagUnknown: false, groupCount: 0 })).toBe("—");
  });
  it("highlights pending, and red only for stuck messages (idle over the threshold), never by the id's age", () => {
    expect(highlights({ pending: 0, stuck: 0 })).toEqual({ pending: false, stuck: false });
    expect(highlights({ pending: 1, stuck: 0 })).toEqual({ pending: true, stuck: false });
    expect(highlights({ pending: 1, stuck: 1 })).toEqual({ pending: true, stuck: true });
    // A family row: an old id in one member but nothing stuck stays calm.
    const [fam] = shapeOverview(
      [row("x_2026112500", { pending: 1, oldestPendingMs: 3_600_000 }), row("x_2026112501", { pending: 2 })],
      [],
      null,
    );
    expect(fam!.kind).toBe("family");
    expect(highlights(fam!)).toEqual({ pending: true, stuck: false });
    const [hot] = shapeOverview(
      [row("x_2026112500", { pending: 1, stuck: 1 }), row("x_2026112501", { pending: 2 })],
      [],
      null,
    );
    expect(highlights(hot!)).toEqual({ pending: true, stuck: true });
  });
  it("turns a typed filter into a MATCH glob", () => {
    expect(filterToMatch("")).toBe("*");
    expect(filterToMatch("  orders_* ")).toBe("orders_*");
    expect(filterToMatch("pay")).toBe("*pay*");
    expect(globMatch(filterToMatch("a]b"), "xa]by")).toBe(true);
  });
  it("links keys with every odd character encoded as one path segment", () => {
    expect(streamHref("a/b %?#{x}ü")).toBe("/streams/a%2Fb%20%25%3F%23%7Bx%7D%C3%BC");
  });
});

describe("paging through the stream index", () => {
  it("says how far discovery got, and nothing once the first pass has ended", () => {
    expect(discoveryText({ discovering: true, scanned: 12_000, about: 2_000_000 })).toBe(
      "Still discovering: 12,000 keys scanned of about 2,000,000",
    );
    expect(discoveryText({ discovering: false, scanned: 2_000_000, about: 2_000_000 })).toBeNull();
  });

  it("counts the streams of the index, 'at least' while the total is not exact", () => {
    expect(countText({ total: 12_345, exact: true })).toBe("12,345 streams");
    expect(countText({ total: 1, exact: true })).toBe("1 stream");
    expect(countText({ total: 37, exact: false })).toBe("At least 37 streams");
    expect(countText({ total: 0, exact: true })).toBe("No streams");
    expect(countText({ total: 0, exact: false })).toBe("No streams found yet");
  });

  it("a sort button turns its column's direction, and starts a new column descending when it is a number", () => {
    expect(nextSort({ id: "name", desc: false }, "name")).toEqual({ id: "name", desc: true });
    expect(nextSort({ id: "name", desc: true }, "pending")).toEqual({ id: "pending", desc: true });
    expect(nextSort({ id: "pending", desc: true }, "pending")).toEqual({ id: "pending", desc: false });
    expect(nextSort({ id: "pending", desc: true }, "name")).toEqual({ id: "name", desc: false });
  });

  it("a poison mark is the stream's; a family's is its member's with the most deliveries; it links to the radar", () => {
    const [plain] = groupFamilies([row("a")]);
    expect(poisonOf(plain!)).toBeNull();
    const [marked] = groupFamilies([row("a b", { poison: { group: "g/1", deliveries: 836 } })]);
    expect(poisonOf(marked!)).toEqual({ stream: "a b", group: "g/1", deliveries: 836 });
    const [fam] = groupFamilies([
      row("orders_2026112500", { poison: { group: "ship", deliveries: 12 } }),
      row("orders_2026112501", { poison: { group: "bill", deliveries: 40 } }),
      row("orders_2026112502"),
    ]);
    expect(fam!.kind).toBe("family");
    expect(poisonOf(fam!)).toEqual({ stream: "orders_2026112501", group: "bill", deliveries: 40 });
    expect(poisonOfRows([])).toBeNull();
    expect(poisonHref("a b", "g/1")).toBe("/streams/a%20b/groups/g%2F1#poison-radar-title");
  });

  it("a row's node is its master's address; a family's is its one master or how many", () => {
    const [one] = groupFamilies([row("a", { node: "127.0.0.1:7001" })]);
    expect(nodeText(one!)).toBe("127.0.0.1:7001");
    const fam = groupFamilies([
      row("orders_2026112500", { node: "127.0.0.1:7001" }),
      row("orders_2026112501", { node: "127.0.0.1:7002" }),
    ]);
    expect(fam).toHaveLength(1);
    expect(nodeText(fam[0]!)).toBe("2 nodes");
    expect(nodeText(groupFamilies([row("b")])[0]!)).toBe("—");
  });
});

describe("problems first", () => {
  it("keeps the server's order in problems order until a column is sorted", () => {
    expect(defaultSort("key")).toEqual({ id: "name", desc: false });
    expect(defaultSort("key")).toBe(defaultSort("key"));
    expect(defaultSort("problems")).toBeNull();
    expect(nextSort(null, "pending")).toEqual({ id: "pending", desc: true });
    expect(shapeOverview(rows, [], null).map((i) => i.name)[0]).toBe("b");
  });

  it("says the snapshot's age when applied, and why not when the server fell back to key order", () => {
    expect(problemsOrderText({ order: "problems" }, 10_000, 13_400)).toBe("Problems first: problems as of 3 s ago");
    expect(problemsOrderText({ order: "problems" }, 10_000, 9_000)).toBe("Problems first: problems as of 0 s ago");
    expect(problemsOrderText({ order: "key", orderFallback: "missing" }, undefined, 0)).toMatch(
      /needs the worker's stuck snapshot.*worker off.*showing key order/,
    );
    expect(problemsOrderText({ order: "key", orderFallback: "stale" }, undefined, 0)).toMatch(
      /too old.*showing key order/,
    );
  });

  it("says what a partial snapshot left out of the order", () => {
    const partial = (groupsLeftOut: number, streamsLeftOut: boolean) => ({
      order: "problems" as const,
      orderPartial: { groupsLeftOut, streamsLeftOut },
    });
    expect(problemsOrderText(partial(12_500, false), 10_000, 13_400)).toBe(
      "Problems first: problems as of 3 s ago. The snapshot leaves out 12,500 groups with pending messages: those streams follow in key order even when stuck",
    );
    expect(problemsOrderText(partial(1, true), 10_000, 13_400)).toMatch(
      /leaves out 1 group with pending messages and the streams past the cap of its walk: those streams follow in key order/,
    );
    expect(problemsOrderText(partial(0, true), 10_000, 13_400)).toMatch(
      /leaves out the streams past the cap of its walk:/,
    );
    // Not applied: the fallback says why, whatever the snapshot held.
    expect(problemsOrderText({ order: "key", orderFallback: "stale" }, undefined, 0)).not.toMatch(/leaves out/);
  });

  it("explains the blocks in either order", () => {
    expect(blocksText("key", 200)).toBe(
      "Rows follow key order in blocks of 200; sorting and families apply within each block.",
    );
    expect(blocksText("problems", 200)).toMatch(/^Rows come problems first .* blocks of 200; column sorting/);
  });
});
