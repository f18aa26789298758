import { describe, expect, it } from "vitest";
import { deliveryBars, radarHeadline } from "@/components/group/poison-radar-data";
import type { DeliveriesResponse } from "@/lib/contract/deliveries";

const base: DeliveriesResponse = {
  buckets: [
    { label: "1", from: 1, to: 1, count: 5 },
    { label: "6-10", from: 6, to: 10, count: 2 },
    { label: "11-20", from: 11, to: 20, count: 1 },
    { label: "over 100", from: 101, to: null, count: 4 },
  ],
  top: [],
  exact: true,
  sampled: 12,
  total: 12,
  maxDeliveries: 836,
  over: 10,
  overCount: 5,
};

describe("poison radar shaping", () => {
  it("reds the buckets wholly past the threshold and ambers the one it cuts", () => {
    expect(deliveryBars(base.buckets, 10).map((b) => b.state)).toEqual(["ok", "ok", "over", "over"]);
    expect(deliveryBars(base.buckets, 8).map((b) => b.state)).toEqual(["ok", "partly", "over", "over"]);
    expect(deliveryBars(base.buckets, 500).map((b) => b.state)).toEqual(["ok", "ok", "ok", "partly"]);
  });

  it("says how many messages look poisoned, and 'about' for a sample", () => {
    expect(radarHeadline(base)).toBe(
      "5 messages were delivered more than 10 times (highest: 836): possible poison messages.",
    );
    expect(radarHeadline({ ...base, exact: false, overCount: 1 })).toMatch(/^about 1 message was delivered/);
    expect(radarHeadline({ ...base, overCount: 0, maxDeliveries: 3 })).toBe(
      "No message delivered more than 10 times (highest: 3).",
    );
    expect(radarHeadline({ ...base, total: 0 })).toBe("Nothing pending.");
  });
});
