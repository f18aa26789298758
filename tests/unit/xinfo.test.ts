import { describe, expect, it } from "vitest";
import {
  boundedLag,
  consumerInactiveMs,
  parseConsumers,
  parseGroups,
  parsePendingRange,
  parsePendingSummary,
  parseStreamInfo,
} from "@/lib/streams/xinfo";
import { decodeEntries, decodeValue } from "@/lib/streams/codec";

describe("XINFO parsing", () => {
  it("parses XINFO STREAM on 7.0 and ignores unknown keys", () => {
    const reply = [
      "length",
      2,
      "radix-tree-keys",
      1,
      "last-generated-id",
      "5-1",
      "max-deleted-entry-id",
      "3-0",
      "entries-added",
      4,
      "recorded-first-entry-id",
      "4-0",
      "groups",
      1,
      "future-field",
      "x",
      "first-entry",
      ["4-0", ["a", "1"]],
      "last-entry",
      ["5-1", ["a", "2"]],
    ];
    expect(parseStreamInfo(reply)).toEqual({
      length: 2,
      lastGeneratedId: "5-1",
      maxDeletedEntryId: "3-0",
      entriesAdded: 4,
      recordedFirstEntryId: "4-0",
      groupCount: 1,
      firstEntryId: "4-0",
      lastEntryId: "5-1",
    });
  });
  it("parses an empty stream (no first/last entry) and a pre-7.0 reply", () => {
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
    expect(info).toMatchObject({
      length: 0,
      firstEntryId: null,
      lastEntryId: null,
      entriesAdded: null,
      maxDeletedEntryId: null,
    });
  });
  it("bounds a group's lag by the stream's own numbers (Redis miscounts it after a trim)", () => {
    const stream = { length: 3, lastGeneratedId: "9-0", firstEntryId: "5-0" };
    const group = (lastDeliveredId: string, lag: number | null) => ({ lastDeliveredId, lag });
    expect(boundedLag(group("9-0", 3), stream)).toBe(0);
    expect(boundedLag(group("1-0", 7), stream)).toBe(3);
    expect(boundedLag(group("1-0", null), stream)).toBe(3);
    expect(boundedLag(group("6-0", 5), stream)).toBeNull();
    expect(boundedLag(group("6-0", 2), stream)).toBe(2);
    expect(boundedLag(group("6-0", null), stream)).toBeNull();
    expect(boundedLag(group("2-0", 4), { length: 0, lastGeneratedId: "9-0", firstEntryId: null })).toBe(0);
    // As 7.0-8.0 answer after XTRIM MAXLEN 1 of 1..5 with the group at 1-0: lag 4, but only 5-0 is left.
    const reply = [
      ["name", "g", "consumers", 1, "pending", 1, "last-delivered-id", "1-0", "entries-read", 1, "lag", 4],
    ];
    expect(parseGroups(reply, { length: 1, lastGeneratedId: "5-0", firstEntryId: "5-0" })[0]!.lag).toBe(1);
    expect(parseGroups(reply)[0]!.lag).toBe(4);
  });
  it("parses groups with a null lag", () => {
    const g = parseGroups([
      ["name", "g", "consumers", 2, "pending", 3, "last-delivered-id", "9-0", "entries-read", null, "lag", null],
    ]);
    expect(g).toEqual([
      { name: "g", consumerCount: 2, pending: 3, lastDeliveredId: "9-0", entriesRead: null, lag: null },
    ]);
  });
  it("parses consumers on 7.0 (no inactive) and 7.2 (inactive, -1 = never)", () => {
    const [c70] = parseConsumers([["name", "c", "pending", 1, "idle", 500]]);
    expect(consumerInactiveMs(c70!)).toBe(500);
    const [c72] = parseConsumers([["name", "c", "pending", 1, "idle", 5, "inactive", -1]]);
    expect(c72!.inactiveMs).toBe(-1);
    expect(consumerInactiveMs(c72!)).toBe(Number.POSITIVE_INFINITY);
  });
  it("parses XPENDING summary, empty and full, and ranges", () => {
    expect(parsePendingSummary([0, null, null, null])).toEqual({ count: 0, minId: null, maxId: null, consumers: [] });
    expect(
      parsePendingSummary([
        3,
        "1-0",
        "3-0",
        [
          ["a", "2"],
          ["b", "1"],
        ],
      ]).consumers,
    ).toEqual([
      { name: "a", pending: 2 },
      { name: "b", pending: 1 },
    ]);
    expect(parsePendingRange([["1-0", "a", 100, 2]])).toEqual([
      { id: "1-0", consumer: "a", idleMs: 100, deliveries: 2 },
    ]);
  });
});

describe("entry decoding", () => {
  it("keeps repeated field names and order, and base64s invalid UTF-8", () => {
    const bin = Buffer.from([0xff, 0x00, 0xfe]);
    const entries = decodeEntries([
      [
        Buffer.from("1-0"),
        [Buffer.from("k"), Buffer.from("v1"), Buffer.from("k"), Buffer.from(""), Buffer.from("b"), bin],
      ],
    ]);
    expect(entries).toEqual([
      {
        id: "1-0",
        fields: [
          ["k", "v1"],
          ["k", ""],
          ["b", { base64: bin.toString("base64") }],
        ],
      },
    ]);
    expect(decodeValue(Buffer.from("héllo ✓"))).toBe("héllo ✓");
  });
});
