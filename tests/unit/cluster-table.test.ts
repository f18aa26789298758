import { describe, expect, it } from "vitest";
import { formatSlots, hotMasters, streamHref } from "@/components/cluster/cluster-table";
import type { ClusterNode } from "@/lib/contract/cluster";

function node(address: string, streams: number, pending: number, ops: number, role: ClusterNode["role"] = "master") {
  return {
    id: address,
    address,
    role,
    masterOf: null,
    slots: [],
    slotCount: 0,
    reachable: true,
    streams: role === "master" ? { count: streams, atLeast: false, pending, partial: false, hottest: [] } : null,
    usedMemoryBytes: 1,
    opsPerSec: ops,
  } satisfies ClusterNode;
}

describe("hotMasters", () => {
  it("flags the master with far more streams, pending or ops than the others", () => {
    const hot = hotMasters([node("a:1", 500, 10, 5), node("b:1", 100, 0, 3), node("c:1", 120, 900, 1000)]);
    expect(Object.fromEntries(hot)).toEqual({ "a:1": ["streams"], "c:1": ["pending", "ops"] });
  });

  it("an even spread, or small numbers, flag nothing", () => {
    expect(hotMasters([node("a:1", 100, 40, 90), node("b:1", 110, 50, 80), node("c:1", 90, 45, 85)]).size).toBe(0);
    expect(hotMasters([node("a:1", 10, 30, 60), node("b:1", 0, 0, 0)]).size).toBe(0);
  });

  it("a single server, or replicas, are never compared", () => {
    expect(hotMasters([node("a:1", 5000, 5000, 5000)]).size).toBe(0);
    expect(hotMasters([node("a:1", 5000, 5000, 5000), node("r:1", 0, 0, 0, "replica")]).size).toBe(0);
  });
});

describe("formatSlots and streamHref", () => {
  it("shows ranges and lone slots", () => {
    expect(
      formatSlots([
        [0, 5460],
        [7000, 7000],
      ]),
    ).toBe("0-5460, 7000");
    expect(formatSlots([])).toBe("—");
  });

  it("encodes the key as one path segment", () => {
    expect(streamHref("a/{b} c")).toBe(`/streams/${encodeURIComponent("a/{b} c")}`);
  });
});
