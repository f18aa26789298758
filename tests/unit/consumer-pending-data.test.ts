import { describe, expect, it } from "vitest";
import { shapeConsumerPending } from "@/components/group/consumer-pending-data";

describe("shapeConsumerPending", () => {
  it("sorts by pending, most first, ties by name, and drops consumers with nothing pending", () => {
    const bars = shapeConsumerPending([
      { name: "b", pending: 5 },
      { name: "idle", pending: 0 },
      { name: "a", pending: 5, dead: true },
      { name: "c", pending: 9 },
    ]);
    expect(bars).toEqual([
      { name: "c", pending: 9, dead: false, other: false },
      { name: "a", pending: 5, dead: true, other: false },
      { name: "b", pending: 5, dead: false, other: false },
    ]);
  });

  it("sums the consumers past the limit into one bar, keeping the total", () => {
    const consumers = Array.from({ length: 20 }, (_, i) => ({
      name: `w${String(i).padStart(2, "0")}`,
      pending: 100 - i,
    }));
    const bars = shapeConsumerPending(consumers, 5);
    expect(bars).toHaveLength(5);
    expect(bars.slice(0, 4).map((b) => b.name)).toEqual(["w00", "w01", "w02", "w03"]);
    expect(bars[4]).toMatchObject({ name: "16 other consumers", other: true });
    const total = consumers.reduce((n, c) => n + c.pending, 0);
    expect(bars.reduce((n, b) => n + b.pending, 0)).toBe(total);
  });
});
