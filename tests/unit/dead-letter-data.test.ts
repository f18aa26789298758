import { describe, expect, it } from "vitest";
import {
  deadLetterRow,
  deadLetterRows,
  distinct,
  matchCountText,
  matchingResultText,
} from "@/components/stream/dead-letter-data";
import { DEAD_LETTER_FIELDS as F } from "@/lib/contract/dead-letter";
import type { ListFieldPair } from "@/lib/contract/common";

const entry = (id: string, fields: ListFieldPair[]) => ({ id, fields });

describe("dead letter rows", () => {
  it("reads the metadata the move script writes", () => {
    const row = deadLetterRow(
      entry("5-0", [
        ["payload", "x"],
        [F.originStream, "orders"],
        [F.originGroup, "billing"],
        [F.originId, "1-0"],
        [F.deliveries, "12"],
        [F.deadLetteredAt, "1700000000000"],
        [F.reason, "max deliveries"],
      ]),
      "orders:dlq",
    );
    expect(row).toEqual({
      id: "5-0",
      origin: "orders",
      group: "billing",
      originId: "1-0",
      reason: "max deliveries",
      deadLetteredAt: 1_700_000_000_000,
      deliveries: 12,
    });
  });

  it("leaves out entries without an origin, or naming this stream; missing or odd metadata reads as null", () => {
    const rows = deadLetterRows(
      [
        entry("1-0", [["note", "plain"]]),
        entry("2-0", [
          [F.originStream, "orders"],
          [F.reason, ""],
          [F.deliveries, "many"],
          [F.deadLetteredAt, { base64: "AAE=" }],
        ]),
        entry("3-0", [[F.originStream, { base64: "AAE=" }]]),
        entry("4-0", [[F.originStream, "dlq"]]),
      ],
      "dlq",
    );
    expect(rows).toEqual([
      {
        id: "2-0",
        origin: "orders",
        group: null,
        originId: null,
        reason: null,
        deadLetteredAt: null,
        deliveries: null,
      },
    ]);
  });

  it("distinct keeps the first-seen order and drops nulls", () => {
    expect(distinct(["b", null, "a", "b"])).toEqual(["b", "a"]);
  });

  it("says how many match, and 'at least' when the walk was cut", () => {
    expect(matchCountText({ matched: 1, scanned: 3, more: false })).toBe("1 dead letter matches (3 entries read)");
    expect(matchCountText({ matched: 2_000, scanned: 10_000, more: true })).toMatch(
      /^At least 2,000 dead letters match/,
    );
    expect(matchingResultText({ redriven: 3, skipped: 1, scanned: 9 })).toBe(
      "Sent 3 dead letters back to their origin, 1 skipped (9 entries read)",
    );
  });
});
