import { describe, expect, it } from "vitest";
import { countLabel, jobCountsText, tickToastText, tickTone } from "@/components/worker/tick-summary";
import type { TickResult } from "@/lib/api/worker-types";

const tick = (over: Partial<TickResult> = {}): TickResult => ({
  id: "t",
  instance: "i",
  status: "ok",
  forced: true,
  startedAt: 0,
  finishedAt: 12,
  durationMs: 12,
  waitedMs: 0,
  jobs: [],
  ...over,
});

describe("tick summary", () => {
  it("labels counts and drops zeros", () => {
    expect(countLabel("streamsCreated")).toBe("streams created");
    expect(jobCountsText({ ran: true, counts: { streamsCreated: 2, expirySet: 0, lateProducerFixed: 1 } })).toBe("2 streams created · 1 late producer fixed");
    expect(jobCountsText({ ran: true, counts: { a: 0 } })).toBe("nothing to do");
    expect(jobCountsText({ ran: false, counts: {} })).toBe("not due");
  });

  it("colours a tick by its worst outcome", () => {
    expect(tickTone(tick())).toBe("ok");
    expect(tickTone(tick({ status: "error" }))).toBe("bad");
    const finding = { kind: "expiry-cap-reached", severity: "critical" as const, stream: "s", message: "m" };
    expect(tickTone(tick({ jobs: [{ name: "expiry-guard", ran: true, counts: {}, notes: [], durationMs: 1, nextRunAt: 0, findings: [finding] }] }))).toBe("bad");
  });

  it("says what a tick did, or what failed", () => {
    const ok = tick({ jobs: [{ name: "reclaim", ran: true, counts: { reassigned: 3 }, notes: [], durationMs: 1, nextRunAt: 0 }] });
    expect(tickToastText(ok)).toBe("Tick finished in 12 ms. reclaim: 3 reassigned");
    const bad = tick({ status: "error", jobs: [{ name: "trim", ran: true, counts: {}, notes: [], durationMs: 1, nextRunAt: 0, error: "boom" }] });
    expect(tickToastText(bad)).toMatch(/1 failed job\(s\): trim \(boom\)/);
  });
});
