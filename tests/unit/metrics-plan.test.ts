import { describe, expect, it } from "vitest";
import { seriesUnits, unitsWithin } from "@/lib/metrics/plan";

describe("series units of a scrape", () => {
  it("sums a detected family (two members or more) and a configured one (from its first member) into one unit", () => {
    const units = seriesUnits(
      ["a_2026112900", "a_2026112901", "b", "c:20261129", "d-2026112900", "orders"],
      ["d-<yyyyMMddHH>"],
    );
    expect(units).toEqual([
      { label: "a_<yyyyMMddHH>", family: true, keys: ["a_2026112900", "a_2026112901"] },
      { label: "b", family: false, keys: ["b"] },
      { label: "c:20261129", family: false, keys: ["c:20261129"] },
      { label: "d-<yyyyMMddHH>", family: true, keys: ["d-2026112900"] },
      { label: "orders", family: false, keys: ["orders"] },
    ]);
  });

  it("keeps units whole within the stream cap, skips one too big for what is left, and counts what it leaves out", () => {
    const units = seriesUnits(["a", "f_20261101", "f_20261102", "f_20261103", "g", "h"]);
    expect(unitsWithin(units, 3)).toEqual({
      kept: [units[0], units[2], units[3]],
      omitted: 3,
    });
    expect(unitsWithin(units, 6).omitted).toBe(0);
  });
});
