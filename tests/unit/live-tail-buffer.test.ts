import { describe, expect, it } from "vitest";
import type { StreamEntry } from "@/lib/contract/entries";
import {
  addSample,
  applyStates,
  mergeNewest,
  pollQuery,
  ratePerSecond,
  skippedText,
  stateWindowQuery,
} from "@/components/stream/live-tail-buffer";

const entry = (id: string, state: "delivered" | "acked" = "delivered"): StreamEntry => ({
  id,
  fields: [["n", id]],
  states: { g: { state } },
});

describe("live tail buffer", () => {
  it("keeps the newest entries first, without duplicates, and bounded", () => {
    let buf: StreamEntry[] = [];
    buf = mergeNewest(buf, [entry("1-0"), entry("2-0")], 3);
    buf = mergeNewest(buf, [entry("2-0"), entry("3-0"), entry("10-0")], 3);
    expect(buf.map((e) => e.id)).toEqual(["10-0", "3-0", "2-0"]);
    const same = mergeNewest(buf, [entry("3-0")], 3);
    expect(same).toBe(buf);
  });

  it("takes states from a fresher read only for the entries it covers", () => {
    const buf = [entry("3-0"), entry("2-0"), entry("1-0")];
    const out = applyStates(buf, [entry("2-0", "acked")]);
    expect(out.map((e) => e.states.g?.state)).toEqual(["delivered", "acked", "delivered"]);
    expect(applyStates(buf, [entry("2-0")])).toBe(buf);
  });

  it("re-reads states over the newest window with the entries route's query", () => {
    expect(stateWindowQuery([])).toBeNull();
    const buf = ["5-0", "4-0", "3-0", "2-0"].map((id) => entry(id));
    expect(stateWindowQuery(buf, 3)).toEqual({ order: "desc", start: "5-0", end: "3-0", count: 3 });
    expect(stateWindowQuery(buf, 10)).toEqual({ order: "desc", start: "5-0", end: "2-0", count: 4 });
  });

  it("polls for the newest entries after the last one seen", () => {
    expect(pollQuery(undefined)).toEqual({ order: "desc", count: 1 });
    expect(pollQuery("7-1")).toEqual({ order: "desc", start: "+", end: "(7-1", count: 100 });
  });

  it("measures entries per second over the last 10 s", () => {
    let s = addSample([], 1000, 5);
    s = addSample(s, 2000, 5);
    expect(ratePerSecond(s, 3000, 1000)).toBe(5);
    s = addSample(s, 13_000, 20);
    expect(s).toHaveLength(1);
    expect(ratePerSecond(s, 13_000, 1000)).toBe(2);
  });

  it("says what was skipped", () => {
    expect(skippedText(0, false)).toBeNull();
    expect(skippedText(12, false)).toBe("Skipped 12 entries the page could not keep up with.");
    expect(skippedText(0, true)).toBe("Skipped older entries from before the tail started.");
  });
});
