import { describe, expect, it } from "vitest";
import type { StreamRow } from "@/lib/contract/streams";
import { familyMatcher, familyOfKey, familyTotals, groupFamilies, parseDateSuffix } from "@/lib/shared/families";
import { periodOfKey } from "@/lib/shared/family-periods";
import { streamRow } from "../helpers/stream-row";

/** A stream of one entry, read by its one group. */
const row = (key: string, over: Partial<StreamRow> = {}): StreamRow =>
  streamRow(key, {
    length: 1,
    firstEntryId: "1-0",
    lastEntryId: "1-0",
    groupCount: 1,
    lag: 0,
    memoryBytes: 100,
    lastEntryTime: 1,
    ...over,
  });

describe("parseDateSuffix", () => {
  it("accepts real days and hours", () => {
    expect(parseDateSuffix("2026112500")).toBe(Date.UTC(2026, 10, 25, 0));
    expect(parseDateSuffix("2026112523")).toBe(Date.UTC(2026, 10, 25, 23));
    expect(parseDateSuffix("20261125")).toBe(Date.UTC(2026, 10, 25));
    expect(parseDateSuffix("20261231")).not.toBeNull();
  });
  it("rejects hour 24, month 00/13, day 00/32 and days past the month's end", () => {
    expect(parseDateSuffix("2026112524")).toBeNull();
    expect(parseDateSuffix("20260001")).toBeNull();
    expect(parseDateSuffix("20261301")).toBeNull();
    expect(parseDateSuffix("20260100")).toBeNull();
    expect(parseDateSuffix("20260132")).toBeNull();
    expect(parseDateSuffix("20260431")).toBeNull();
    expect(parseDateSuffix("12345678")).toBeNull();
  });
  it("knows leap years: 2024 and 2000 yes, 2026 and 1900/2100 no", () => {
    expect(parseDateSuffix("20240229")).toBe(Date.UTC(2024, 1, 29));
    expect(parseDateSuffix("2000022912")).toBe(Date.UTC(2000, 1, 29, 12));
    expect(parseDateSuffix("20260229")).toBeNull();
    expect(parseDateSuffix("21000229")).toBeNull();
    expect(parseDateSuffix("20240230")).toBeNull();
  });
  it("rejects other lengths", () => {
    expect(parseDateSuffix("202611250")).toBeNull();
    expect(parseDateSuffix("202611")).toBeNull();
  });
});

describe("familyOfKey", () => {
  it("detects each separator and both formats", () => {
    expect(familyOfKey("orders_2026112500")).toEqual({
      pattern: "orders_<yyyyMMddHH>",
      format: "yyyyMMddHH",
      periodStart: Date.UTC(2026, 10, 25, 0),
    });
    expect(familyOfKey("orders-20261125")?.pattern).toBe("orders-<yyyyMMdd>");
    expect(familyOfKey("app:orders:2026112513")?.pattern).toBe("app:orders:<yyyyMMddHH>");
    expect(familyOfKey("orders.20261125")?.pattern).toBe("orders.<yyyyMMdd>");
    expect(familyOfKey("{orders}_2026112500")?.pattern).toBe("{orders}_<yyyyMMddHH>");
  });
  it("rejects non-dates, keys without a separator, a key that is only a date, and longer digit runs", () => {
    expect(familyOfKey("user_12345678")).toBeNull();
    expect(familyOfKey("orders_2026112524")).toBeNull();
    expect(familyOfKey("orders2026112500")).toBeNull();
    expect(familyOfKey("2026112500")).toBeNull();
    expect(familyOfKey("20261125")).toBeNull();
    expect(familyOfKey("_2026112500")).toBeNull();
    expect(familyOfKey("orders_202611250012")).toBeNull();
    expect(familyOfKey("orders_2026112500x")).toBeNull();
  });
  it("a configured pattern matches whatever surrounds the placeholder, still with a real date", () => {
    expect(familyOfKey("orders2026112500", ["orders<yyyyMMddHH>"])?.pattern).toBe("orders<yyyyMMddHH>");
    expect(familyOfKey("x:20261125:in", ["x:<yyyyMMdd>:in"])?.pattern).toBe("x:<yyyyMMdd>:in");
    expect(familyOfKey("orders2026112599", ["orders<yyyyMMddHH>"])).toBeNull();
    expect(familyOfKey("a.b_2026112500", ["a*b_<yyyyMMddHH>"])?.pattern).toBe("a.b_<yyyyMMddHH>");
  });
});

describe("groupFamilies", () => {
  it("groups two hourly keys into one family with totals, members newest first", () => {
    const items = groupFamilies([
      row("orders_2026112500", {
        length: 3,
        pending: 1,
        groupCount: 2,
        lag: 1,
        oldestPendingMs: 5000,
        ttlMs: 9000,
        memoryBytes: 100,
        lastEntryTime: 10,
      }),
      row("payments", { length: 7 }),
      row("orders_2026112501", {
        length: 4,
        pending: 2,
        groupCount: 2,
        lag: null,
        lagUnknown: true,
        oldestPendingMs: 1000,
        ttlMs: 4000,
        memoryBytes: 50,
        lastEntryTime: 20,
      }),
    ]);
    expect(items.map((i) => i.name)).toEqual(["orders_<yyyyMMddHH>", "payments"]);
    const fam = items[0]!;
    expect(fam.kind).toBe("family");
    expect(fam).toMatchObject({
      length: 7,
      pending: 3,
      groupCount: 4,
      lag: 1,
      lagUnknown: true,
      oldestPendingMs: 5000,
      ttlMs: 4000,
      memoryBytes: 150,
      lastEntryTime: 20,
    });
    if (fam.kind !== "family") throw new Error("not a family");
    expect(fam.family.members.map((m) => m.key)).toEqual(["orders_2026112501", "orders_2026112500"]);
  });
  it("a lone dated key is a plain stream unless its pattern is configured", () => {
    expect(groupFamilies([row("orders_2026112500")])[0]!.kind).toBe("stream");
    const [item] = groupFamilies([row("orders_2026112500")], ["orders_<yyyyMMddHH>"]);
    expect(item!.kind).toBe("family");
    if (item!.kind === "family") expect(item!.family.configured).toBe(true);
  });
  it("mixed separators and mixed formats are different families", () => {
    const items = groupFamilies([
      row("o_2026112500"),
      row("o-2026112500"),
      row("o_2026112501"),
      row("o-2026112501"),
      row("o_20261125"),
      row("o_20261126"),
    ]);
    expect(items.map((i) => `${i.kind}:${i.name}`)).toEqual([
      "family:o_<yyyyMMddHH>",
      "family:o-<yyyyMMddHH>",
      "family:o_<yyyyMMdd>",
    ]);
  });
  it("keys with non-date suffixes stay single streams", () => {
    const items = groupFamilies([
      row("user_12345678"),
      row("user_12345679"),
      row("job_2026112599"),
      row("job_2026112598"),
    ]);
    expect(items.every((i) => i.kind === "stream")).toBe(true);
    expect(items).toHaveLength(4);
  });
  it("totals: memory null only when every member's is, TTL the soonest known", () => {
    expect(
      familyTotals([row("a", { memoryBytes: null, ttlMs: null }), row("b", { memoryBytes: null, ttlMs: 5 })]),
    ).toMatchObject({
      memoryBytes: null,
      ttlMs: 5,
      oldestPendingMs: null,
      lag: 0,
    });
    expect(familyTotals([row("a", { lag: null, lagUnknown: true })])).toMatchObject({ lag: null, lagUnknown: true });
  });
  it("totals: says why the memory is unknown only when no member's is known", () => {
    const crowded = row("a", { memoryBytes: null, memoryUnknown: "consumers" });
    expect(familyTotals([crowded, row("b", { memoryBytes: null })]).memoryUnknown).toBe("consumers");
    const partly = familyTotals([crowded, row("b", { memoryBytes: 100 })]);
    expect(partly.memoryBytes).toBe(100);
    expect(partly.memoryUnknown).toBeUndefined();
  });
});

describe("one family-pattern parser", () => {
  it("the overview, the worker's periods and the alert rules agree on membership", () => {
    const cases: [string, string][] = [
      ["orders_<yyyyMMddHH>", "orders_2026112523"],
      ["orders_<yyyyMMddHH>", "orders_2026112524"],
      ["orders_<yyyyMMddHH>", "orders_2026022900"],
      ["orders_<yyyyMMddHH>", "xorders_2026112523"],
      ["{eu}.daily.<yyyyMMdd>", "{eu}.daily.20261125"],
      ["a*[b]_<yyyyMMdd>", "a*[b]_20261125"],
      ["a*[b]_<yyyyMMdd>", "aX[b]_20261125"],
      ["x:<yyyyMMdd>:in", "x:20261131:in"],
    ];
    for (const [pattern, key] of cases) {
      const member = familyMatcher(pattern)(key);
      expect(familyOfKey(key, [pattern])?.pattern === pattern, `${pattern} ${key}`).toBe(member);
      expect(periodOfKey(pattern, key) !== null, `${pattern} ${key}`).toBe(member);
    }
  });
});
