import { describe, expect, it } from "vitest";
import type { StreamRow } from "@/lib/contract/streams";
import { countWithin, jsonStringBytes, ROW_FIXED_BYTES, rowBytes, rowBytesOf } from "@/lib/streams/list-budget";

const LONGEST_ID = "18446744073709551615-18446744073709551615";
const LONGEST_NUMBER = -Number.MAX_SAFE_INTEGER;

/** A row with every field present and at its longest. */
function longestRow(key: string, node: string, group: string): StreamRow {
  return {
    key,
    length: LONGEST_NUMBER,
    firstEntryId: LONGEST_ID,
    lastEntryId: LONGEST_ID,
    groupCount: LONGEST_NUMBER,
    pending: LONGEST_NUMBER,
    lag: LONGEST_NUMBER,
    lagUnknown: false,
    oldestPendingMs: LONGEST_NUMBER,
    lagMs: LONGEST_NUMBER,
    stuck: LONGEST_NUMBER,
    stuckCapped: false,
    ttlMs: LONGEST_NUMBER,
    memoryBytes: LONGEST_NUMBER,
    memoryUnknown: "consumers",
    lastEntryTime: LONGEST_NUMBER,
    node,
    poison: { group, deliveries: LONGEST_NUMBER },
  };
}

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");

describe("a stream row's bytes", () => {
  it("are at most ROW_FIXED_BYTES besides its key, node and poison group, at their longest", () => {
    const row = longestRow("", "", "");
    expect(bytes(row) - 3 * jsonStringBytes("")).toBeLessThanOrEqual(ROW_FIXED_BYTES);
    // Not far off either: a guess twice too big would cut pages in half.
    expect(bytes(row)).toBeGreaterThan(ROW_FIXED_BYTES * 0.75);
  });

  it("count a key, node and group name as JSON writes them (escapes, multi-byte characters)", () => {
    const key = 'orders:"quoted"\\\n:ü:😀:' + "k".repeat(5000);
    const node = "10.0.0.1:6379";
    const group = "g\u0001";
    const row = longestRow(key, node, group);
    expect(rowBytes(key, node, group)).toBeGreaterThanOrEqual(bytes(row));
    expect(rowBytesOf(row)).toBe(rowBytes(key, node, group));
    expect(jsonStringBytes("ü")).toBe(4);
    expect(jsonStringBytes('"')).toBe(4);
  });
});

describe("countWithin", () => {
  const size = (n: number) => n;

  it("takes items while their bytes fit", () => {
    expect(countWithin([10, 20, 30], 30, size)).toBe(2);
    expect(countWithin([10, 20, 30], 60, size)).toBe(3);
    expect(countWithin([10, 20, 30], 59, size)).toBe(2);
    expect(countWithin([], 10, size)).toBe(0);
  });

  it("always takes the first, even past the budget: a page moves on", () => {
    expect(countWithin([100, 1], 10, size)).toBe(1);
  });
});
