import { describe, expect, it } from "vitest";
import { HISTORY_RANGES } from "@/lib/contract/history";
import { formatTimeTick, historyChartSpecs, TICK_STEPS_MS, timeTicks } from "@/components/history/history-chart-data";

describe("time ticks", () => {
  it("never repeat a label, whatever the range and where it starts", () => {
    const starts = [
      Date.UTC(2026, 11, 1, 10, 41, 7),
      Date.UTC(2026, 11, 1, 23, 59, 59),
      Date.UTC(2026, 11, 1, 0, 0, 0),
    ];
    const spans = [20_000, 90_000, 150_000, 7 * 60_000, ...Object.values(HISTORY_RANGES)];
    for (const from of starts) {
      for (const span of spans) {
        const to = from + span;
        const { ticks, stepMs } = timeTicks(from, to);
        const labels = ticks.map((t) => formatTimeTick(t, span, stepMs));
        expect(new Set(labels).size, `${new Date(from).toISOString()} + ${span} ms: ${labels.join(" ")}`).toBe(
          labels.length,
        );
        expect(ticks.length).toBeLessThanOrEqual(6);
        for (const t of ticks) {
          expect(t).toBeGreaterThanOrEqual(from);
          expect(t).toBeLessThanOrEqual(to);
          expect(t % stepMs).toBe(0);
        }
      }
    }
  });

  it("three minutes of samples give one tick per minute, not 10:41 three times", () => {
    const from = Date.UTC(2026, 11, 1, 10, 41, 5);
    const { ticks, stepMs } = timeTicks(from, from + 3 * 60_000);
    expect(stepMs).toBe(60_000);
    expect(ticks.map((t) => formatTimeTick(t, 3 * 60_000))).toEqual(["10:42", "10:43", "10:44"]);
  });

  it("picks a spacing by range, with the day when the axis spans more than 12 h", () => {
    const from = Date.UTC(2026, 11, 1, 10, 41);
    expect(timeTicks(from, from + HISTORY_RANGES["15m"]).stepMs).toBe(5 * 60_000);
    expect(timeTicks(from, from + HISTORY_RANGES["1h"]).stepMs).toBe(15 * 60_000);
    expect(timeTicks(from, from + HISTORY_RANGES["6h"]).stepMs).toBe(120 * 60_000);
    const day = timeTicks(from, from + HISTORY_RANGES["24h"]);
    expect(day.stepMs).toBe(360 * 60_000);
    expect(day.ticks.map((t) => formatTimeTick(t, HISTORY_RANGES["24h"]))).toEqual([
      "01 12:00",
      "01 18:00",
      "02 00:00",
      "02 06:00",
    ]);
    expect(TICK_STEPS_MS.every((s) => s % 1000 === 0)).toBe(true);
    // Under a minute of samples: ticks every few seconds, labelled with seconds.
    const short = timeTicks(from, from + 20_000);
    expect(short.stepMs).toBe(5_000);
    expect(short.ticks.map((t) => formatTimeTick(t, 20_000, short.stepMs))).toEqual([
      "10:41:00",
      "10:41:05",
      "10:41:10",
      "10:41:15",
      "10:41:20",
    ]);
    expect(timeTicks(from, from).ticks).toEqual([from]);
  });
});

describe("history chart series", () => {
  it("pending has a chart of its own; length and lag share one; counts are steps on integer axes", () => {
    const stream = historyChartSpecs(true);
    const pending = stream.filter((c) => c.series.some((s) => s.key === "pending"));
    expect(pending).toHaveLength(1);
    expect(pending[0]!.series.map((s) => s.key)).toEqual(["pending"]);
    expect(stream.map((c) => c.title)).toEqual([
      "Pending",
      "Length and lag",
      "Messages in vs acked per second",
      "Oldest pending age (s)",
    ]);
    expect(stream[1]!.series.map((s) => s.key)).toEqual(["length", "lag"]);
    for (const c of stream) {
      const hasCounts = c.series.some((s) => ["pending", "lag", "length"].includes(s.key));
      expect(c.counts).toBe(hasCounts);
    }
    const group = historyChartSpecs(false);
    expect(group.map((c) => c.title)).toEqual([
      "Pending",
      "Lag",
      "Messages in vs acked per second",
      "Oldest pending age (s)",
    ]);
    expect(group.flatMap((c) => c.series.map((s) => s.key))).not.toContain("length");
  });
});
