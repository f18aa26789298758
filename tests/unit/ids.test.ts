import { describe, expect, it } from "vitest";
import {
  compareIds,
  idToTimeMs,
  isFullId,
  isValidId,
  MAX_ID,
  nextId,
  normalizeId,
  previousId,
  timeMsToId,
} from "@/lib/contract/ids";

describe("stream ids", () => {
  it("compares numerically, not as strings", () => {
    expect(compareIds("10-0", "9-0")).toBe(1);
    expect(compareIds("5-10", "5-9")).toBe(1);
    expect(compareIds("5-1", "5-1")).toBe(0);
    expect(compareIds("18446744073709551615-0", "18446744073709551614-99")).toBe(1);
  });

  it("accepts only well-formed ids within 64 bits", () => {
    expect(isValidId("1-0")).toBe(true);
    expect(isValidId("123")).toBe(true);
    expect(isValidId("1-")).toBe(false);
    expect(isValidId("-1")).toBe(false);
    expect(isValidId("abc")).toBe(false);
    expect(isValidId("1-2-3")).toBe(false);
    expect(isValidId("18446744073709551616-0")).toBe(false);
    expect(normalizeId("42")).toBe("42-0");
  });

  it("a full id has both parts, each within 64 bits", () => {
    expect(isFullId("18446744073709551615-18446744073709551615")).toBe(true);
    expect(isFullId("18446744073709551616-0")).toBe(false);
    expect(isFullId("0-18446744073709551616")).toBe(false);
    expect(isFullId("99999999999999999999-0")).toBe(false);
    expect(isFullId("5")).toBe(false);
  });

  it("steps to neighbours across the seq boundary", () => {
    expect(nextId("1-0")).toBe("1-1");
    expect(nextId("1-18446744073709551615")).toBe("2-0");
    expect(previousId("2-0")).toBe("1-18446744073709551615");
    expect(previousId("0-0")).toBeNull();
    expect(nextId(MAX_ID)).toBeNull();
  });

  it("converts between ids and times", () => {
    expect(idToTimeMs("1700000000000-5")).toBe(1_700_000_000_000);
    expect(timeMsToId(1_700_000_000_000)).toBe("1700000000000-0");
    expect(timeMsToId(1_700_000_000_000, "end")).toBe("1700000000000-18446744073709551615");
  });
});
