import { describe, expect, it } from "vitest";
import { hashTagOf, sameSlot, sameSlotTag, slotOf, tagForSlot } from "@/lib/redis/slots";

describe("hash slots", () => {
  it("computes Redis Cluster's slots (values from CLUSTER KEYSLOT)", () => {
    expect(slotOf("foo")).toBe(12182);
    expect(slotOf("{user1000}.following")).toBe(slotOf("user1000"));
    expect(slotOf("a{}b")).not.toBe(slotOf("{}"));
  });

  it("reads a key's hash tag only when it has a non-empty one", () => {
    expect(hashTagOf("orders")).toBeNull();
    expect(hashTagOf("{orders}:2024")).toBe("orders");
    expect(hashTagOf("a{}b{c}")).toBeNull();
    expect(hashTagOf("a{b")).toBeNull();
  });

  it("finds a tag for every slot", () => {
    for (const slot of [0, 1, 8000, 16383]) expect(slotOf(`{${tagForSlot(slot)}}:x`)).toBe(slot);
  });

  it("gives a tag that puts a new key beside any key", () => {
    for (const key of ["orders", "{orders}:eu", "odd{}key", "a{b", "x}y", "ünïcode"]) {
      expect(slotOf(`{${sameSlotTag(key)}}:dlq`), key).toBe(slotOf(key));
    }
    expect(sameSlotTag("orders")).toBe("orders");
    expect(sameSlot(["{t}a", "{t}b"])).toBe(true);
    expect(sameSlot(["a", "b"])).toBe(false);
  });
});
