import { describe, expect, it } from "vitest";
import { PACE_SLICE_MS, runBatches, type BatchScript } from "@/lib/actions/batches";

/** A script that acks whatever it is given, recording each call's size. */
function countingScript(batchSize = 100): BatchScript & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    batchSize,
    run: async (ids) => {
      calls.push(ids.length);
      return { ok: ids.length, skipped: 0, deleted: 0 };
    },
  };
}

async function* pagesOf(n: number, pageSize = 1000): AsyncGenerator<string[]> {
  for (let start = 0; start < n; start += pageSize) {
    yield Array.from({ length: Math.min(pageSize, n - start) }, (_, i) => `${start + i + 1}-0`);
  }
}

describe("runBatches with a pace", () => {
  it("takes at least n / pace seconds, less one round", async () => {
    const n = 1200;
    const pace = 2000;
    const script = countingScript();
    const started = Date.now();
    const tally = await runBatches(pagesOf(n), script, false, { pacePerSecond: pace });
    const elapsed = Date.now() - started;
    expect(tally).toEqual({ ok: n, skipped: 0, deleted: 0 });
    const round = (pace * PACE_SLICE_MS) / 1000;
    // A few ms of slack for timer rounding.
    expect(elapsed).toBeGreaterThanOrEqual(((n - round) / pace) * 1000 - 5);
  });

  it("cuts pages into batches no larger than a slice's worth at a low pace", async () => {
    const script = countingScript();
    await runBatches(pagesOf(3), script, false, { pacePerSecond: 8 });
    expect(script.calls).toEqual([2, 1]);
    const fast = countingScript();
    await runBatches(pagesOf(1000), fast, false, { pacePerSecond: 1_000_000 });
    expect(Math.max(...fast.calls)).toBeLessThanOrEqual(100);
    expect(fast.calls.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it("stops within a slice of being asked to, even in the middle of a long paced wait", async () => {
    const script = countingScript();
    let stop = false;
    let askedAt = 0;
    setTimeout(() => {
      stop = true;
      askedAt = Date.now();
    }, 100);
    // One message a second: after the first, the run owes a wait of a second before the second.
    const tally = await runBatches(pagesOf(3), script, false, { pacePerSecond: 1, shouldStop: () => stop });
    const endedAt = Date.now();
    expect(tally).toEqual({ ok: 1, skipped: 0, deleted: 0, stopped: true });
    expect(askedAt).toBeGreaterThan(0);
    // It did not sleep through the whole second before looking at the stop flag again.
    expect(endedAt - askedAt).toBeLessThan(1000 - 100);
  });

  it("without a pace, runs a page's batches at once", async () => {
    const script = countingScript();
    const tally = await runBatches(pagesOf(1000), script, false, {});
    expect(tally.ok).toBe(1000);
    expect(script.calls).toEqual(Array(10).fill(100));
  });
});
