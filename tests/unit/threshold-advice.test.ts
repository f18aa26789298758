import { describe, expect, it } from "vitest";
import { adviceBasis, adviceVerdict } from "@/components/history/threshold-advice-data";
import { ackedPendingAges, pendingProfile, type Sample } from "@/lib/history/series";

const s = (t: number, pending: number, oldestPendingMs: number | null): Sample => ({
  t,
  length: 0,
  entriesAdded: 0,
  pending,
  lag: 0,
  entriesRead: 0,
  oldestPendingMs,
});

const EVERY = 10_000;

/** `n` samples of a healthy group: each sample's oldest pending message is a new one, `ageMs` old. */
function healthy(n: number, ageMs: (i: number) => number, from = 0): Sample[] {
  return Array.from({ length: n }, (_, i) => s(from + i * EVERY, 3, ageMs(i)));
}

/** Then one message that nobody acks (its consumer crashed): its age grows with every sample. */
function stuckAfter(before: Sample[], n: number, firstAgeMs: number): Sample[] {
  const t0 = (before[before.length - 1]?.t ?? -EVERY) + EVERY;
  return [...before, ...Array.from({ length: n }, (_, i) => s(t0 + i * EVERY, 1, firstAgeMs + i * EVERY))];
}

describe("ackedPendingAges", () => {
  it("counts a message when it leaves the PEL, at the last age seen", () => {
    // One message seen at 1 s and 11 s, then gone; a second seen at 4 s, then nothing pending.
    expect(ackedPendingAges([s(0, 2, 1000), s(10_000, 2, 11_000), s(20_000, 1, 4000), s(30_000, 0, null)])).toEqual([
      11_000, 4000,
    ]);
  });

  it("never counts a message that is still pending", () => {
    expect(ackedPendingAges(stuckAfter([], 30, 1000))).toEqual([]);
  });
});

describe("pendingProfile with a crashed consumer holding one message", () => {
  const history = stuckAfter(
    healthy(60, (i) => 1000 + (i % 3) * 500),
    13,
    10_000,
  );

  it("bases the advice on acked messages only", () => {
    const p = pendingProfile(history, 30_000, { count: 1, maxIdleMs: 130_000, capped: false });
    // 59 departures from the healthy part, plus the last healthy message; none from the stuck one.
    expect(p.ackedObservations).toBe(60);
    expect(p.typicalPendingMs).toBe(1500);
    expect(p.p95PendingMs).toBe(2000);
    expect(p.suggestedStuckAfterMs).toBe(5000);
    expect(p.suggestedStuckAfterMs!).toBeLessThan(130_000);
    expect(p.basedOnSamples).toBe(73);
    expect(adviceVerdict(p).text).toContain("loose");
    expect(adviceBasis(p)).toBe(
      "Based on 60 acked messages seen in 73 samples of this group's history over the last 12 min 0 s; messages still pending do not count.",
    );
  });

  it("suggests no higher threshold while a message is stuck", () => {
    // Healthy messages here take 20-29 s, so 2 × p95 is above the current 30 s.
    const slow = stuckAfter(
      healthy(60, (i) => 20_000 + (i % 10) * 1000),
      13,
      40_000,
    );
    const stuckNow = pendingProfile(slow, 30_000, { count: 1, maxIdleMs: 160_000, capped: false });
    expect(stuckNow.suggestedStuckAfterMs).toBeNull();
    expect(stuckNow.raiseHeldBack).toBe(true);
    expect(adviceVerdict(stuckNow)).toMatchObject({ tone: "warn" });
    expect(adviceVerdict(stuckNow).text).toContain("1 message is stuck now (idle up to 2 min 40 s)");
    // Once nothing is stuck, the raise is advised.
    const later = pendingProfile(slow, 30_000);
    expect(later.suggestedStuckAfterMs).toBe(58_000);
    expect(adviceVerdict(later).text).toContain("fits");
  });

  it("still advises a lower threshold while a message is stuck", () => {
    const p = pendingProfile(history, 60_000, { count: 1, maxIdleMs: 130_000, capped: false });
    expect(p.suggestedStuckAfterMs).toBe(5000);
    expect(p.raiseHeldBack).toBe(false);
  });
});
