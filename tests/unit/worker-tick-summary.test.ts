import { describe, expect, it } from "vitest";
import {
  countLabel,
  foldTicks,
  idleLineText,
  jobCountsText,
  tickChanges,
  tickToastText,
  tickTone,
} from "@/components/worker/tick-summary";
import type { TickResult } from "@/lib/contract/worker";

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
    expect(jobCountsText({ ran: true, counts: { streamsCreated: 2, expirySet: 0, lateProducerFixed: 1 } })).toBe(
      "2 streams created · 1 late producer fixed",
    );
    expect(jobCountsText({ ran: true, counts: { a: 0 } })).toBe("nothing to do");
    expect(jobCountsText({ ran: false, counts: {} })).toBe("not due");
  });

  it("colours a tick by its worst outcome", () => {
    expect(tickTone(tick())).toBe("ok");
    expect(tickTone(tick({ status: "error" }))).toBe("bad");
    const finding = { kind: "expiry-cap-reached", severity: "critical" as const, stream: "s", message: "m" };
    expect(
      tickTone(
        tick({
          jobs: [
            {
              name: "expiry-guard",
              ran: true,
              counts: {},
              notes: [],
              durationMs: 1,
              nextRunAt: 0,
              findings: [finding],
            },
          ],
        }),
      ),
    ).toBe("bad");
  });

  it("says what a tick did, or what failed", () => {
    const ok = tick({
      jobs: [{ name: "reclaim", ran: true, counts: { reassigned: 3 }, notes: [], durationMs: 1, nextRunAt: 0 }],
    });
    expect(tickToastText(ok)).toBe("Tick finished in 12 ms. reclaim: 3 reassigned");
    const bad = tick({
      status: "error",
      jobs: [{ name: "trim", ran: true, counts: {}, notes: [], durationMs: 1, nextRunAt: 0, error: "boom" }],
    });
    expect(tickToastText(bad)).toMatch(/1 failed job\(s\): trim \(boom\)/);
  });
});

describe("folding the last ticks", () => {
  const job = (name: string, counts: Record<string, number>, over: Partial<TickResult["jobs"][number]> = {}) => ({
    name,
    ran: true,
    counts,
    notes: [],
    durationMs: 1,
    nextRunAt: 0,
    ...over,
  });
  const idle = (id: string, startedAt: number) =>
    tick({
      id,
      startedAt,
      forced: false,
      jobs: [
        job("rotation", { streamsCreated: 0 }),
        job("reclaim", { groupsChecked: 4, examined: 10 }),
        job("trim", {}, { ran: false }),
        job("history", { streams: 3, samples: 7 }),
      ],
    });

  it("says what a tick changed, leaving out what it only looked at and jobs that were not due", () => {
    const t = tick({
      jobs: [
        job("rotation", { streamsCreated: 2, groupsCreated: 2 }),
        job("reclaim", { groupsChecked: 3, examined: 9, reassigned: 1 }),
        job("trim", {}, { ran: false }),
      ],
    });
    expect(tickChanges(t)).toEqual(["rotation: 2 streams created · 2 groups created", "reclaim: 1 reassigned"]);
    expect(tickChanges(idle("i", 0))).toEqual([]);
    expect(tickChanges(tick({ jobs: [job("trim", {}, { error: "boom" })] }))).toEqual(["trim failed: boom"]);
    expect(tickChanges(tick({ status: "busy", message: "another tick held the lock", jobs: [] }))).toEqual([
      "another tick held the lock",
    ]);
  });

  it("one line per tick that changed something, consecutive idle ticks folded into one line", () => {
    const busy = tick({ id: "b", startedAt: 50, forced: false, jobs: [job("reclaim", { reassigned: 2 })] });
    const lines = foldTicks([
      idle("i5", 60),
      busy,
      idle("i4", 40),
      idle("i3", 30),
      idle("i2", 20),
      tick({ id: "f", startedAt: 10 }),
      idle("i1", 0),
    ]);
    expect(lines.map((l) => (l.kind === "tick" ? l.tick.id : l.ticks.map((t) => t.id).join(",")))).toEqual([
      "i5",
      "b",
      "i4,i3,i2",
      "f",
      "i1",
    ]);
    const folded = lines[2]!;
    expect(folded.kind).toBe("idle");
    if (folded.kind !== "idle") return;
    expect(idleLineText(folded)).toBe("3 idle ticks");
    expect([folded.from, folded.to]).toEqual([20, 40]);
    expect(idleLineText({ kind: "idle", ticks: [idle("x", 0)], from: 0, to: 0 })).toBe("1 idle tick");
    // A forced tick gets its own line even when it changed nothing.
    expect(lines[3]).toMatchObject({ kind: "tick", changes: [] });
  });

  it("50 idle ticks are one line", () => {
    expect(foldTicks(Array.from({ length: 50 }, (_, i) => idle(`t${i}`, 50 - i)))).toHaveLength(1);
  });
});
