import { describe, expect, it } from "vitest";
import { summaryScope } from "@/components/overview/summary-scope";

const base = { complete: true, streamCap: 10_000 };

describe("summaryScope", () => {
  it("says nothing for every stream read now, and names a filter", () => {
    expect(summaryScope(base, "*")).toBeUndefined();
    expect(summaryScope(base, "orders:*")).toBe("Matching orders:*");
  });

  it("says when only the first streams are summed, and while discovering", () => {
    expect(summaryScope({ ...base, complete: false }, "*")).toBe("First 10,000 streams only");
    expect(summaryScope({ ...base, complete: false, discovering: true }, "*")).toBe(
      "Streams found so far (still discovering)",
    );
  });

  it("says the streams are read in turns, and how many so far", () => {
    const rolling = { read: 30_000, since: 0 };
    expect(summaryScope({ ...base, complete: false, rolling }, "*")).toBe(
      "30,000 streams read so far, 10,000 at a time",
    );
    expect(summaryScope({ ...base, rolling }, "*")).toBe("Every stream, read 10,000 at a time");
    expect(summaryScope({ ...base, rolling }, "orders:*")).toBe(
      "Every stream matching orders:*, read 10,000 at a time",
    );
  });
});
