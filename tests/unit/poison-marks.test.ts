import { describe, expect, it } from "vitest";
import type { StreamRow } from "@/lib/contract/streams";
import { markRows, poisonMarksOf } from "@/lib/alerts/poison-marks";
import { streamRow } from "../helpers/stream-row";

/** A stream of one entry, pending with its one group. */
const row = (key: string): StreamRow => streamRow(key, { length: 1, groupCount: 1, pending: 1, lag: 0 });

describe("poison marks on the stream rows", () => {
  it("each stream takes its firing poison alert with the most deliveries", () => {
    const marks = poisonMarksOf([
      { stream: "a", group: "g1", value: 12 },
      { stream: "a", group: "g2", value: 836 },
      { stream: "b", group: "g", value: 11 },
      { stream: "c", group: null, value: 99 },
    ]);
    expect(marks.get("a")).toEqual({ group: "g2", deliveries: 836 });
    expect(marks.get("b")).toEqual({ group: "g", deliveries: 11 });
    expect(marks.has("c")).toBe(false);
  });

  it("marks only the rows of streams with a mark, and leaves a page without marks as it is", () => {
    const marks = poisonMarksOf([{ stream: "b", group: "g", value: 20 }]);
    const rows = markRows([row("a"), row("b")], marks);
    expect(rows[0]!.poison).toBeUndefined();
    expect(rows[1]!.poison).toEqual({ group: "g", deliveries: 20 });
    const unmarked = [row("a")];
    expect(markRows(unmarked, new Map())).toEqual(unmarked);
  });
});
