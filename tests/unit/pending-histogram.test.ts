import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IDLE_BUCKETS, bucketIndex, countIdle, idleBuckets, scaleToTotal } from "@/lib/pending/histogram";

describe("idle histogram bucketing", () => {
  it("puts bounds in the upper bucket (lower bound inclusive)", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(999)).toBe(0);
    expect(bucketIndex(1000)).toBe(1);
    expect(bucketIndex(29_999)).toBe(2);
    expect(bucketIndex(30_000)).toBe(3);
    expect(bucketIndex(60_000)).toBe(4);
    expect(bucketIndex(5 * 60_000)).toBe(5);
    expect(bucketIndex(30 * 60_000)).toBe(6);
    expect(bucketIndex(2 * 3600_000 - 1)).toBe(6);
    expect(bucketIndex(2 * 3600_000)).toBe(7);
    expect(bucketIndex(365 * 86400_000)).toBe(7);
  });

  it("has the eight readable buckets in order, contiguous", () => {
    expect(IDLE_BUCKETS.map((b) => b.label)).toEqual([
      "under 1 s",
      "1-10 s",
      "10-30 s",
      "30 s-1 min",
      "1-5 min",
      "5-30 min",
      "30 min-2 h",
      "over 2 h",
    ]);
    for (let i = 1; i < IDLE_BUCKETS.length; i++) expect(IDLE_BUCKETS[i]!.fromMs).toBe(IDLE_BUCKETS[i - 1]!.toMs);
    expect(IDLE_BUCKETS.at(-1)!.toMs).toBeNull();
  });

  it("counts exactly without a total", () => {
    const buckets = idleBuckets([10, 20, 1500, 45_000, 45_001, 10 * 3600_000]);
    expect(buckets.map((b) => b.count)).toEqual([2, 1, 0, 2, 0, 0, 0, 1]);
    expect(buckets[3]).toEqual({ label: "30 s-1 min", fromMs: 30_000, toMs: 60_000, count: 2 });
  });

  it("scales a sample to the PEL size, keeping the sum exact", () => {
    expect(scaleToTotal([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(scaleToTotal([0, 0], 5)).toEqual([0, 0]);
    const scaled = idleBuckets([100, 100, 100, 5000], 1_000_000);
    expect(scaled.map((b) => b.count)).toEqual([750_000, 250_000, 0, 0, 0, 0, 0, 0]);
  });

  it("property: scaled counts sum to the total and keep empty buckets empty", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }), fc.nat(10_000_000), (counts, total) => {
        fc.pre(counts.some((c) => c > 0));
        const scaled = scaleToTotal(counts, total);
        expect(scaled.reduce((a, b) => a + b, 0)).toBe(total);
        counts.forEach((c, i) => {
          if (c === 0) expect(scaled[i]).toBe(0);
        });
      }),
    );
  });

  it("property: every idle falls in exactly one bucket", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10 * 86400_000)), (idles) => {
        expect(countIdle(idles).reduce((a, b) => a + b, 0)).toBe(idles.length);
      }),
    );
  });
});
