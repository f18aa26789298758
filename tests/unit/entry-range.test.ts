import { describe, expect, it } from "vitest";
import { requestRange, resolveBound } from "@/lib/streams/range";
import { MAX_ID } from "@/lib/contract/ids";
import { AppError } from "@/lib/errors";

const U64 = "18446744073709551615";

describe("resolveBound", () => {
  it("accepts -, +, full ids and ms-only ids", () => {
    expect(resolveBound("-", "lower")).toBe("0-0");
    expect(resolveBound("+", "upper")).toBe(MAX_ID);
    expect(resolveBound("5-3", "lower")).toBe("5-3");
    expect(resolveBound("5", "lower")).toBe("5-0");
    expect(resolveBound("5", "upper")).toBe(`5-${U64}`);
  });

  it("turns exclusive bounds into the neighbouring id", () => {
    expect(resolveBound("(5-3", "lower")).toBe("5-4");
    expect(resolveBound("(5-0", "upper")).toBe(`4-${U64}`);
    expect(resolveBound("(0-0", "upper")).toBeNull();
    expect(resolveBound(`(${U64}-${U64}`, "lower")).toBeNull();
  });

  it("accepts time:<ms> and time:<ISO>", () => {
    expect(resolveBound("time:1700000000000", "lower")).toBe("1700000000000-0");
    expect(resolveBound("time:2023-11-14T22:13:20.000Z", "upper")).toBe(`1700000000000-${U64}`);
  });

  it.each(["abc", "1-", "-1", "1-2-3", "(5", "((5-0", "time:nope", "", "18446744073709551616-0"])(
    "rejects %j with a 400",
    (raw) => {
      let caught: unknown;
      try {
        resolveBound(raw, "lower");
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).status).toBe(400);
    },
  );
});

describe("requestRange", () => {
  it("reads start as the lower bound ascending and the upper bound descending", () => {
    expect(requestRange("3-0", "9-0", "asc")).toEqual({ lower: "3-0", upper: "9-0" });
    expect(requestRange("9-0", "3-0", "desc")).toEqual({ lower: "3-0", upper: "9-0" });
    expect(requestRange(undefined, undefined, "desc")).toEqual({ lower: "0-0", upper: MAX_ID });
  });

  it("is null for an empty range", () => {
    expect(requestRange("9-0", "3-0", "asc")).toBeNull();
    expect(requestRange("(5-0", "5-0", "asc")).toBeNull();
  });
});

describe("isRangeBound (the request schema's check)", () => {
  it("accepts exactly the bounds resolveBound resolves", async () => {
    const { isRangeBound } = await import("@/lib/contract/ids");
    const samples = [
      "-",
      "+",
      " - ",
      "5",
      "5-3",
      ` 5-3 `,
      `${U64}-${U64}`,
      `1${U64}`,
      "(5-3",
      "(5",
      `(${U64}-${U64}`,
      "((5-3",
      "time:0",
      "time:1700000000000",
      "time:2024-01-01T00:00:00Z",
      "time:nope",
      "time:-5",
      "time:",
      "abc",
      "",
      "5-",
      "-5",
      "5-3-1",
      "0x10",
    ];
    for (const raw of samples) {
      let resolves = true;
      try {
        resolveBound(raw, "lower");
      } catch {
        resolves = false;
      }
      expect(isRangeBound(raw), raw).toBe(resolves);
    }
  });
});
