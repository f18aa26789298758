import { describe, expect, it } from "vitest";
import type { GroupSummary } from "@/lib/contract/streams";
import {
  buildDetail,
  buildRow,
  DETAIL_GROUPS_SHOWN,
  intOrNull,
  oldestAgeMs,
  shownGroups,
  summarizeLag,
} from "@/lib/streams/row-build";
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

describe("shownGroups: the groups a stream's detail lists", () => {
  const group = (i: number, pending = 0, lag: number | null = 0): GroupSummary => ({
    name: `g${i}`,
    consumerCount: 1,
    pending,
    lastDeliveredId: "1-0",
    entriesRead: 1,
    lag,
  });

  it("lists every group, in Redis's order, while they fit", () => {
    const groups = [group(2), group(1, 5), group(3)];
    expect(shownGroups(groups, Infinity)).toEqual(groups);
  });

  it("over DETAIL_GROUPS_SHOWN: the most pending first, then the most lag, kept in Redis's order", () => {
    const groups = Array.from({ length: DETAIL_GROUPS_SHOWN + 5 }, (_, i) => group(i));
    groups[7] = group(7, 0, 50); // lag only
    groups[DETAIL_GROUPS_SHOWN + 3] = group(DETAIL_GROUPS_SHOWN + 3, 9); // pending, near the end
    groups[DETAIL_GROUPS_SHOWN + 4] = group(DETAIL_GROUPS_SHOWN + 4, 0, null); // lag unknown: as if the longest
    const shown = shownGroups(groups, Infinity);
    expect(shown).toHaveLength(DETAIL_GROUPS_SHOWN);
    const names = shown.map((g) => g.name);
    expect(names.slice(-2)).toEqual([`g${DETAIL_GROUPS_SHOWN + 3}`, `g${DETAIL_GROUPS_SHOWN + 4}`]);
    expect(names).toContain("g7");
    // Three of the idle ones at the end of Redis's order make room.
    expect(names).not.toContain(`g${DETAIL_GROUPS_SHOWN + 2}`);
    const order = shown.map((g) => Number(g.name.slice(1)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("within a byte budget: as many as fit, the most pending first", () => {
    const long = (i: number, pending: number) => ({ ...group(i, pending), name: `g${i}:${"n".repeat(1000)}` });
    const groups = [long(0, 1), long(1, 3), long(2, 2), long(3, 0)];
    const one = Buffer.byteLength(JSON.stringify(groups[0]));
    const shown = shownGroups(groups, 2 * one + 10);
    expect(shown.map((g) => g.pending)).toEqual([3, 2]);
  });

  it("buildDetail says how many it left out", () => {
    const detail = buildDetail(
      {
        key: "s",
        info: parseStreamInfo(streamReply),
        groups: Array.from({ length: DETAIL_GROUPS_SHOWN + 2 }, (_, i) => group(i)),
        pttl: -1,
        memory: 1,
        oldestPendingIds: [],
        stuck: { count: 0, capped: false },
        now: 5000,
      },
      Infinity,
    );
    expect(detail.groups).toHaveLength(DETAIL_GROUPS_SHOWN);
    expect(detail.groupsOmitted).toBe(2);
  });
});
