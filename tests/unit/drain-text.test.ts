import { describe, expect, it } from "vitest";
import { drainFromSamples } from "@/lib/history/series";
import type { Sample } from "@/lib/history/series";
import { drainHint, drainText, formatRate } from "@/lib/shared/drain";

const sample = (t: number, lag: number | null): Sample => ({
  t,
  length: null,
  entriesAdded: null,
  pending: null,
  lag,
  entriesRead: null,
  oldestPendingMs: null,
});

describe("drain text", () => {
  it("says when a draining group catches up", () => {
    expect(drainText({ ratePerSec: 2, etaMs: 90_000 })).toBe("drains in about 1 min 30 s");
    expect(drainHint({ ratePerSec: 2, etaMs: 90_000 })).toBe("catching up at 2.0/s (last 15 min of history)");
    expect(drainText({ ratePerSec: 5, etaMs: 0 })).toBe("caught up");
  });

  it("says how fast a group falls behind", () => {
    expect(drainText({ ratePerSec: -12.4, etaMs: null })).toBe("falling behind by 12/s");
    expect(drainText({ ratePerSec: -0.25, etaMs: null })).toBe("falling behind by 0.3/s");
    expect(drainHint({ ratePerSec: -1500, etaMs: null })).toBe("the lag grows 1,500/s (last 15 min of history)");
  });

  it("has a word for no trend", () => {
    expect(drainText(null)).toBe("steady");
    expect(drainHint(null)).toContain("too little history");
    expect(formatRate(0.04)).toBe("0.0/s");
  });
});

describe("drainFromSamples", () => {
  const now = 1_000_000_000;
  it("is the negated least-squares slope, with the time to 0 from the lag now", () => {
    const samples = [sample(now - 20_000, 30), sample(now - 10_000, 21), sample(now, 10)];
    const d = drainFromSamples(samples, 10, now)!;
    expect(d.ratePerSec).toBeCloseTo(1, 6);
    expect(d.etaMs).toBe(10_000);
    // Without the lag now: the last sample's.
    expect(drainFromSamples(samples, null, now)!.etaMs).toBe(10_000);
  });

  it("leaves out unknown lags and samples older than the window; null when flat or too few", () => {
    const old = sample(now - 3_600_000, 1_000_000);
    expect(drainFromSamples([old, sample(now - 10_000, 5), sample(now, 5)], 5, now)).toBeNull();
    expect(drainFromSamples([sample(now - 10_000, null), sample(now, 5)], 5, now)).toBeNull();
    expect(drainFromSamples([sample(now, 5)], 5, now)).toBeNull();
    expect(drainFromSamples([sample(now - 10_000, 0), sample(now, 50)], 50, now)).toEqual({
      ratePerSec: -5,
      etaMs: null,
    });
  });
});
