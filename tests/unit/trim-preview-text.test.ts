import { describe, expect, it } from "vitest";
import { memoryText, trimHeadline } from "@/components/stream/trim-preview-text";
import type { GroupHold, TrimPreviewResponse } from "@/lib/contract/trim";

const hold = (over: Partial<GroupHold> = {}): GroupHold => ({
  group: "billing",
  reason: "pending",
  id: "1700000000000-0",
  keepsFrom: "1700000000000-0",
  consumer: "worker-3",
  idleMs: 2 * 3600_000,
  pending: 4,
  lag: 0,
  ...over,
});

const preview = (over: Partial<TrimPreviewResponse> = {}): TrimPreviewResponse => ({
  stream: "orders",
  length: 1000,
  trimmable: 600,
  exact: true,
  minKeptId: "1700000000000-0",
  blocker: hold(),
  groups: [hold()],
  groupCount: 1,
  memoryBytes: 1_000_000,
  freedBytesEstimate: 600_000,
  ...over,
});

describe("trim preview text", () => {
  it("names the blocker, its consumer and how long the message is held", () => {
    const text = trimHeadline(preview());
    expect(text).toContain("600 entries can be trimmed safely");
    expect(text).toContain("group billing has not acked id 1700000000000-0");
    expect(text).toContain("worker-3");
    expect(text).toMatch(/2h|2 h/);
  });

  it("says how many entries an unread group keeps alive, and 'about' for an estimate", () => {
    const text = trimHeadline(
      preview({ exact: false, blocker: hold({ reason: "unread", id: "5-0", keepsFrom: "5-1" }) }),
    );
    expect(text).toMatch(/^about 600 entries/);
    expect(text).toContain("has not read past id 5-0: its lag keeps 400 entries alive");
  });

  it("covers nothing trimmable, everything trimmable, no groups and an empty stream", () => {
    expect(trimHeadline(preview({ trimmable: 0 }))).toMatch(/^Nothing can be trimmed safely; the oldest blocker/);
    expect(trimHeadline(preview({ trimmable: 1000, blocker: null }))).toBe(
      "All 1,000 entries are acked by every group and can be trimmed safely.",
    );
    expect(trimHeadline(preview({ groupCount: 0, groups: [], blocker: null, trimmable: 0 }))).toMatch(
      /No consumer groups/,
    );
    expect(trimHeadline(preview({ length: 0, trimmable: 0, blocker: null }))).toBe("No entries: nothing to trim.");
  });

  it("says the memory a trim frees, or nothing when MEMORY USAGE was refused", () => {
    expect(memoryText(preview())).toMatch(/uses about .*; a trim would free about /);
    expect(memoryText(preview({ trimmable: 0 }))).not.toContain("free");
    expect(memoryText(preview({ memoryBytes: null }))).toBeNull();
  });
});
