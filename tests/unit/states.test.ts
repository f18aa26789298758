import { describe, expect, it } from "vitest";
import { classifyEntries, classifyEntry, findOrphans, STATE_LABELS, type GroupSnapshot } from "@/lib/shared/states";

const pel = (id: string, consumer = "c1", deliveries = 1) => ({ id, consumer, idleMs: 1500, deliveries });

describe("classifyEntry", () => {
  it("is pending when the id is in the PEL, with consumer, idle and deliveries", () => {
    expect(classifyEntry("5-0", "9-0", pel("5-0", "alice", 3))).toEqual({
      state: "pending",
      consumer: "alice",
      idleMs: 1500,
      deliveries: 3,
    });
  });

  it("is pending even above last-delivered-id (XCLAIM FORCE / backward SETID)", () => {
    expect(classifyEntry("20-0", "10-0", pel("20-0"))).toMatchObject({ state: "pending" });
  });

  it("is delivered (to the stream, not yet read by the group) above last-delivered-id when not in the PEL", () => {
    expect(classifyEntry("11-0", "10-0", undefined)).toEqual({ state: "delivered" });
  });

  it("is acked at or below last-delivered-id when not in the PEL", () => {
    expect(classifyEntry("10-0", "10-0", undefined)).toEqual({ state: "acked" });
    expect(classifyEntry("3-7", "10-0", undefined)).toEqual({ state: "acked" });
  });

  it("counts entries before a group created at $ as acked (skipped)", () => {
    // A group created at $ has last-delivered-id = the stream's last id at creation.
    const states = classifyEntries(["1-0", "2-0", "3-0"], [{ name: "late", lastDeliveredId: "3-0", pel: [] }]);
    expect([...states.values()].map((s) => s.late?.state)).toEqual(["acked", "acked", "acked"]);
    expect(STATE_LABELS).toEqual({ delivered: "delivered to stream", pending: "pending", acked: "acked" });
  });

  it("compares ids numerically, not as strings", () => {
    expect(classifyEntry("10-0", "9-0", undefined)).toEqual({ state: "delivered" });
    expect(classifyEntry("9-0", "10-0", undefined)).toEqual({ state: "acked" });
    expect(classifyEntry("5-10", "5-9", undefined)).toEqual({ state: "delivered" });
  });
});

describe("classifyEntries", () => {
  it("classifies every id for every group independently", () => {
    const groups: GroupSnapshot[] = [
      { name: "g1", lastDeliveredId: "2-0", pel: [pel("2-0", "a", 2)] },
      { name: "g2", lastDeliveredId: "0-0", pel: [] },
    ];
    const states = classifyEntries(["1-0", "2-0", "3-0"], groups);
    expect(states.get("1-0")).toEqual({ g1: { state: "acked" }, g2: { state: "delivered" } });
    expect(states.get("2-0")).toEqual({
      g1: { state: "pending", consumer: "a", idleMs: 1500, deliveries: 2 },
      g2: { state: "delivered" },
    });
    expect(states.get("3-0")).toEqual({ g1: { state: "delivered" }, g2: { state: "delivered" } });
  });
});

describe("findOrphans", () => {
  it("lists PEL ids without an entry once, sorted numerically", () => {
    const groups: GroupSnapshot[] = [
      { name: "g1", lastDeliveredId: "20-0", pel: [pel("10-0"), pel("2-0"), pel("5-0")] },
      { name: "g2", lastDeliveredId: "20-0", pel: [pel("10-0"), pel("9-0")] },
    ];
    expect(findOrphans(["5-0"], groups)).toEqual(["2-0", "9-0", "10-0"]);
    expect(findOrphans(["2-0", "5-0", "9-0", "10-0"], groups)).toEqual([]);
  });
});
