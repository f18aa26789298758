import { describe, expect, it } from "vitest";
import { buildDetail, buildRow, intOrNull, oldestAgeMs, summarizeLag } from "@/lib/streams/row-build";
import { parseGroups, parseStreamInfo } from "@/lib/streams/xinfo";

const streamReply = [
  "length",
  3,
  "radix-tree-keys",
  1,
  "radix-tree-nodes",
  2,
  "last-generated-id",
  "3000-0",
  "max-deleted-entry-id",
  "0-0",
  "entries-added",
  3,
  "recorded-first-entry-id",
  "1000-0",
  "groups",
  2,
  "first-entry",
  ["1000-0", ["a", "1"]],
  "last-entry",
  ["3000-0", ["a", "3"]],
];
const groupsReply = [
  ["name", "fast", "consumers", 1, "pending", 1, "last-delivered-id", "3000-0", "entries-read", 3, "lag", 0],
  ["name", "mid", "consumers", 2, "pending", 2, "last-delivered-id", "2000-0", "entries-read", null, "lag", null],
];

describe("building rows from parsed replies", () => {
  it("sums pending, takes the largest known lag, flags unknown lag, ages the oldest pending id", () => {
    const row = buildRow({
      key: "s",
      info: parseStreamInfo(streamReply),
      groups: parseGroups(groupsReply),
      pttl: 5000,
      memory: 1234,
      oldestPendingIds: ["2000-0", "1000-5"],
      stuck: { count: 2, capped: true },
      now: 11_000,
    });
    expect(row).toEqual({
      key: "s",
      length: 3,
      firstEntryId: "1000-0",
      lastEntryId: "3000-0",
      groupCount: 2,
      pending: 3,
      lag: 0,
      lagUnknown: true,
      oldestPendingMs: 10_000,
      stuck: 2,
      stuckCapped: true,
      ttlMs: 5000,
      memoryBytes: 1234,
      lastEntryTime: 3000,
    });
  });

  it("no expiry and a vanished TTL are null; an empty stream has no times", () => {
    const info = parseStreamInfo([
      "length",
      0,
      "last-generated-id",
      "0-0",
      "groups",
      0,
      "first-entry",
      null,
      "last-entry",
      null,
    ]);
    for (const pttl of [-1, -2, null]) {
      const row = buildRow({
        key: "e",
        info,
        groups: [],
        pttl,
        memory: null,
        oldestPendingIds: [],
        stuck: { count: 0, capped: false },
        now: 1,
      });
      expect(row).toMatchObject({
        ttlMs: null,
        lastEntryTime: null,
        lag: null,
        lagUnknown: false,
        pending: 0,
        oldestPendingMs: null,
      });
    }
  });

  it("the detail adds the 7.0 fields and every group", () => {
    const detail = buildDetail({
      key: "s",
      info: parseStreamInfo(streamReply),
      groups: parseGroups(groupsReply),
      pttl: -1,
      memory: 1,
      oldestPendingIds: [],
      stuck: { count: 0, capped: false },
      now: 0,
    });
    expect(detail).toMatchObject({
      lastGeneratedId: "3000-0",
      entriesAdded: 3,
      maxDeletedEntryId: "0-0",
      recordedFirstEntryId: "1000-0",
    });
    expect(detail.groups.map((g) => [g.name, g.lag, g.entriesRead])).toEqual([
      ["fast", 0, 3],
      ["mid", null, null],
    ]);
  });

  it("compares ids as numbers, not strings, and never reports a negative age", () => {
    expect(oldestAgeMs(["10-0", "9-0"], 100)).toBe(91);
    expect(oldestAgeMs(["500-0"], 100)).toBe(0);
    expect(oldestAgeMs([], 100)).toBeNull();
    expect(summarizeLag([{ lag: 3 }, { lag: 10 }, { lag: null }])).toEqual({ lag: 10, lagUnknown: true });
    expect(summarizeLag([])).toEqual({ lag: null, lagUnknown: false });
    expect(intOrNull("42")).toBe(42);
    expect(intOrNull(null)).toBeNull();
    expect(intOrNull("x")).toBeNull();
  });
});
