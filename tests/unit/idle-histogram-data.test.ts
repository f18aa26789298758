import { describe, expect, it } from "vitest";
import { bucketState, shapeIdleHistogram, type IdleBucketInput } from "@/components/group/idle-histogram-data";

const BUCKETS: IdleBucketInput[] = [
  { label: "under 1 s", fromMs: 0, toMs: 1000, count: 4 },
  { label: "1-10 s", fromMs: 1000, toMs: 10_000, count: 3 },
  { label: "10-30 s", fromMs: 10_000, toMs: 30_000, count: 0 },
  { label: "30 s-1 min", fromMs: 30_000, toMs: 60_000, count: 2 },
  { label: "1-5 min", fromMs: 60_000, toMs: 300_000, count: 5 },
  { label: "5-30 min", fromMs: 300_000, toMs: 1_800_000, count: 0 },
  { label: "30 min-2 h", fromMs: 1_800_000, toMs: 7_200_000, count: 1 },
  { label: "over 2 h", fromMs: 7_200_000, toMs: null, count: 7 },
];

describe("bucketState", () => {
  it("is stuck when the whole bucket lies at or over the threshold", () => {
    expect(bucketState(30_000, 60_000, 30_000)).toBe("stuck");
    expect(bucketState(7_200_000, null, 30_000)).toBe("stuck");
  });
  it("is partly stuck when the threshold falls inside the bucket, ok below it", () => {
    expect(bucketState(30_000, 60_000, 45_000)).toBe("partly");
    expect(bucketState(7_200_000, null, 9_000_000)).toBe("partly");
    expect(bucketState(10_000, 30_000, 30_000)).toBe("ok");
  });
});

describe("shapeIdleHistogram", () => {
  it("marks the buckets over the default 30 s threshold and counts their messages", () => {
    const view = shapeIdleHistogram(BUCKETS, 30_000, { exact: true, sampled: 22 });
    expect(view.bars.map((b) => b.state)).toEqual(["ok", "ok", "ok", "stuck", "stuck", "stuck", "stuck", "stuck"]);
    expect(view.total).toBe(22);
    expect(view.stuckCount).toBe(15);
    expect(view.partlyStuckCount).toBe(0);
    expect(view.stuckLabels).toEqual(["30 s-1 min", "1-5 min", "5-30 min", "30 min-2 h", "over 2 h"]);
    expect(view.legend).toBe(
      "Stuck (idle over 30 s): 30 s-1 min, 1-5 min, 5-30 min, 30 min-2 h, over 2 h: 15 messages",
    );
    expect(view.estimateNote).toBeNull();
  });

  it("keeps a threshold inside a bucket apart from the wholly stuck ones", () => {
    const view = shapeIdleHistogram(BUCKETS, 120_000, { exact: true });
    expect(view.bars[4]).toEqual({ label: "1-5 min", count: 5, state: "partly" });
    expect(view.stuckCount).toBe(8);
    expect(view.partlyStuckCount).toBe(5);
  });

  it("says when no bucket is wholly stuck", () => {
    const view = shapeIdleHistogram(BUCKETS, 10_000_000, { exact: true });
    expect(view.stuckCount).toBe(0);
    expect(view.legend).toMatch(/no bucket lies wholly above it/);
  });

  it("labels a sampled histogram as an estimate", () => {
    const view = shapeIdleHistogram(BUCKETS, 30_000, { exact: false, sampled: 10_000 });
    expect(view.estimateNote).toBe("Estimate from a sample of 10,000 pending messages");
  });

  it("handles an empty PEL", () => {
    const view = shapeIdleHistogram([], 30_000);
    expect(view).toMatchObject({ bars: [], total: 0, stuckCount: 0 });
  });
});
