import { describe, expect, it } from "vitest";
import { streamChangeKey } from "@/lib/streams/change-key";

const info = { length: 3, lastGeneratedId: "3-0", lastEntryId: "3-0", entriesAdded: 3 };
const group = (over: Record<string, unknown> = {}) => ({
  name: "g",
  consumerCount: 1,
  pending: 2,
  lastDeliveredId: "2-0",
  entriesRead: 2,
  lag: 1,
  ...over,
});

describe("streamChangeKey", () => {
  it("is the same for the same stream and groups", () => {
    expect(streamChangeKey(info, [group()])).toBe(streamChangeKey({ ...info }, [group()]));
  });

  it("moves with every field a reader relies on", () => {
    const base = streamChangeKey(info, [group()]);
    const changed = [
      streamChangeKey({ ...info, length: 4 }, [group()]),
      streamChangeKey({ ...info, lastGeneratedId: "4-0" }, [group()]),
      streamChangeKey({ ...info, lastEntryId: "2-0" }, [group()]),
      streamChangeKey({ ...info, entriesAdded: 4 }, [group()]),
      streamChangeKey(info, []),
      streamChangeKey(info, [group(), group({ name: "h" })]),
      streamChangeKey(info, [group({ consumerCount: 2 })]),
      streamChangeKey(info, [group({ pending: 1 })]),
      streamChangeKey(info, [group({ lastDeliveredId: "3-0" })]),
      streamChangeKey(info, [group({ entriesRead: 3 })]),
      streamChangeKey(info, [group({ lag: 0 })]),
      streamChangeKey(info, [group()], "ttl"),
    ];
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
  });

  it("tells group names apart that a separator could run together", () => {
    expect(streamChangeKey(info, [group({ name: "a 2-0" })])).not.toBe(streamChangeKey(info, [group({ name: "a" })]));
  });

  it("stays short whatever the number of groups", () => {
    const many = Array.from({ length: 500 }, (_, i) => group({ name: `group-${i}` }));
    const key = streamChangeKey(info, many);
    expect(key.length).toBeLessThanOrEqual(256);
    expect(key).not.toBe(streamChangeKey(info, many.slice(1)));
  });
});
