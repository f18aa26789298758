import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareIds, compareParsedIds, formatId, idToTimeMs, isValidId, parseId, timeMsToId } from "@/lib/contract/ids";

const U64_MAX = (1n << 64n) - 1n;

const part = fc.oneof(
  fc.constantFrom(0n, 1n, 9n, 10n, 10n ** 18n, 10n ** 19n - 1n, 10n ** 19n, 1n << 63n, U64_MAX - 1n, U64_MAX),
  fc.bigInt({ min: 0n, max: U64_MAX }),
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: 1_700_000_000_000n, max: 1_700_000_000_100n }),
);

/** Ids as Redis writes them, and the other forms parseId accepts (no seq, leading zeros). */
const validId = fc.oneof(
  fc.tuple(part, part).map(([ms, seq]) => `${ms}-${seq}`),
  part.map((ms) => `${ms}`),
  fc
    .tuple(part, part, fc.integer({ min: 0, max: 2 }))
    .map(([ms, seq, zeros]) => `${"0".repeat(zeros)}${ms}-${"0".repeat(zeros)}${seq}`)
    .filter((id) => parseId(id) !== null),
);

const anyId = fc.oneof(
  validId,
  fc.constantFrom("-", "+", "", "1-", "-1", "1-2-3", "a-1", "1-b", "18446744073709551616-0", "0-18446744073709551616"),
  fc.string({ unit: fc.constantFrom("0", "1", "9", "-", "+", " ") }),
);

function outcome(compare: (a: string, b: string) => number, a: string, b: string): number | "throws" {
  try {
    return compare(a, b);
  } catch {
    return "throws";
  }
}

describe("compareIds without BigInt", () => {
  it("agrees with the BigInt comparison on valid ids, 2^64-1 parts included", () => {
    fc.assert(
      fc.property(validId, validId, (a, b) => {
        expect(compareIds(a, b)).toBe(compareParsedIds(a, b));
        expect(compareIds(b, a)).toBe(compareParsedIds(b, a));
        expect(compareIds(a, a)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees on anything, invalid ids throwing as before", () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        expect(outcome(compareIds, a, b)).toBe(outcome(compareParsedIds, a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("compares equal forms of one id as equal", () => {
    expect(compareIds("5", "5-0")).toBe(0);
    expect(compareIds("0-0", "0")).toBe(0);
    expect(compareIds("007-1", "7-1")).toBe(0);
    expect(compareIds("9-0", "10")).toBe(-1);
    expect(compareIds("18446744073709551615-18446744073709551615", "18446744073709551615-0")).toBe(1);
    expect(() => compareIds("-", "0-0")).toThrow();
    expect(() => compareIds("0-0", "+")).toThrow();
  });

  it("validates and reads the time of ids as the BigInt parse does", () => {
    fc.assert(
      fc.property(anyId, (id) => {
        const parsed = parseId(id);
        expect(isValidId(id)).toBe(parsed !== null);
        if (parsed) expect(idToTimeMs(id)).toBe(Number(parsed.ms));
        else expect(() => idToTimeMs(id)).toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it("writes range ends from times as the BigInt formatting does", () => {
    const bigIntForm = (ms: number, edge: "start" | "end") =>
      formatId({ ms: BigInt(Math.max(0, Math.floor(ms))), seq: edge === "start" ? 0n : U64_MAX });
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: -1e3, max: 1e20, noNaN: true }), fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER)),
        fc.constantFrom("start" as const, "end" as const),
        (ms, edge) => {
          expect(timeMsToId(ms, edge)).toBe(bigIntForm(ms, edge));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
