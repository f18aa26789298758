import { describe, expect, it } from "vitest";
import type { HistoryPoint } from "@/lib/contract/history";
import {
  downsample,
  intervalRates,
  pendingProfile,
  percentile,
  roundThreshold,
  samplesToPoints,
  windowRates,
  type Sample,
} from "@/lib/history/series";

const s = (t: number, over: Partial<Sample> = {}): Sample => ({
  t,
  length: 0,
  entriesAdded: 0,
  pending: 0,
  lag: 0,
  entriesRead: 0,
  oldestPendingMs: null,
  ...over,
});

describe("intervalRates", () => {
  it("in-rate from entries-added, ack-rate from entries-read minus pending growth", () => {
    const r = intervalRates(
      s(0, { entriesAdded: 100, entriesRead: 50, pending: 10 }),
      s(10_000, { entriesAdded: 200, entriesRead: 150, pending: 30 }),
    );
    expect(r.inRate).toBe(10);
    expect(r.ackRate).toBe(8); // 100 read, 20 more pending: 80 acked in 10 s
  });
  it("clamps the ack rate at 0 and gives null for counters that went backwards or are unknown", () => {
    expect(intervalRates(s(0, { entriesRead: 10, pending: 0 }), s(1000, { entriesRead: 10, pending: 5 })).ackRate).toBe(
      0,
    );
    expect(intervalRates(s(0, { entriesAdded: 100 }), s(1000, { entriesAdded: 5 })).inRate).toBeNull();
    expect(intervalRates(s(0, { entriesRead: null }), s(1000)).ackRate).toBeNull();
    expect(intervalRates(s(1000), s(1000))).toEqual({ inRate: null, ackRate: null });
  });
});

describe("samplesToPoints and downsample", () => {
  it("the first point has no rate", () => {
    const points = samplesToPoints([s(0), s(1000, { entriesAdded: 5 })]);
    expect(points[0]!.inRate).toBeNull();
    expect(points[1]!.inRate).toBe(5);
  });

  it("keeps at most 300 points, the maximum of levels and the mean of rates", () => {
    const points: HistoryPoint[] = Array.from({ length: 8640 }, (_, i) => ({
      t: i * 10_000,
      length: i,
      pending: i === 5000 ? 1_000_000 : 1,
      lag: null,
      inRate: 2,
      ackRate: i % 2 === 0 ? 0 : 4,
      oldestPendingMs: null,
    }));
    const out = downsample(points);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.length).toBeGreaterThan(250);
    expect(Math.max(...out.map((p) => p.pending ?? 0))).toBe(1_000_000);
    expect(out[0]!.inRate).toBe(2);
    expect(out[0]!.ackRate).toBeCloseTo(2, 0);
    expect(out[0]!.lag).toBeNull();
    expect(out[out.length - 1]!.t).toBe(points[points.length - 1]!.t);
  });

  it("leaves short series alone", () => {
    const points = samplesToPoints([s(0), s(1)]);
    expect(downsample(points)).toEqual(points);
  });
});

describe("pending profile", () => {
  it("percentiles of the age at which acked messages left the PEL", () => {
    // Every 10 s the oldest pending message is a new one (2.0 to 2.9 s old): each sample but the
    // last saw one leave.
    const samples = Array.from({ length: 101 }, (_, i) =>
      s(i * 10_000, { pending: 20, entriesRead: i * 100, oldestPendingMs: i === 100 ? 60_000 : 2000 + (i % 10) * 100 }),
    );
    const p = pendingProfile(samples, 30_000);
    expect(p.ackedObservations).toBe(99); // the last oldest is still pending at the end
    expect(p.typicalPendingMs).toBe(2400);
    expect(p.p95PendingMs).toBe(2900);
    expect(p.suggestedStuckAfterMs).toBe(6000);
    expect(p.basedOnSamples).toBe(101);
    expect(p.windowFrom).toBe(0);
    expect(p.windowTo).toBe(1_000_000);
    expect(p.currentStuckAfterMs).toBe(30_000);
  });

  it("suggests at least 5 s, and nothing without enough acked messages", () => {
    const few = [
      s(0, { pending: 1, oldestPendingMs: 100 }),
      s(10_000),
      s(20_000, { pending: 1, oldestPendingMs: 100 }),
      s(30_000),
    ];
    expect(pendingProfile(few, 30_000).ackedObservations).toBe(2);
    expect(pendingProfile(few, 30_000).suggestedStuckAfterMs).toBeNull();
    const enough = [...few, s(40_000, { pending: 1, oldestPendingMs: 100 }), s(50_000)];
    expect(pendingProfile(enough, 30_000).suggestedStuckAfterMs).toBe(5000);
    const none = pendingProfile([s(0), s(1000)], 30_000);
    expect(none.suggestedStuckAfterMs).toBeNull();
    expect(none.typicalPendingMs).toBeNull();
    expect(none.ackedObservations).toBe(0);
  });

  it("rounds thresholds to values an operator would type", () => {
    expect(roundThreshold(5001)).toBe(6000);
    expect(roundThreshold(61_000)).toBe(70_000);
    expect(roundThreshold(601_000)).toBe(660_000);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });
});

describe("windowRates", () => {
  it("averages over the window", () => {
    expect(
      windowRates([s(0, { entriesAdded: 0 }), s(1000, { entriesAdded: 10 }), s(2000, { entriesAdded: 30 })]).inRate,
    ).toBe(15);
    expect(windowRates([s(0)])).toEqual({ inRate: null, ackRate: null });
  });
});
