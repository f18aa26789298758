import { describe, expect, it } from "vitest";
import {
  binaryView,
  localInputToMs,
  pagingDirections,
  prettyJson,
  stateColumnGroups,
  stateText,
  stateTone,
} from "@/components/stream/entry-display";
import { lagText } from "@/components/stream/groups-table";

describe("prettyJson", () => {
  it("pretty-prints JSON objects and arrays only", () => {
    expect(prettyJson('{"a":1,"b":[1,2]}')).toBe('{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');
    expect(prettyJson("[1]")).toBe("[\n  1\n]");
    expect(prettyJson("42")).toBeNull();
    expect(prettyJson("{not json")).toBeNull();
    expect(prettyJson({ base64: "e30=" })).toBeNull();
  });
});

describe("binaryView", () => {
  it("gives the byte size and a hex preview cut at the limit", () => {
    const v = binaryView({ base64: Buffer.from([0xff, 0x00, 0x10, 0xab]).toString("base64") }, 3);
    expect(v.bytes).toBe(4);
    expect(v.hex).toBe("ff 00 10 …");
    expect(binaryView({ base64: "/w==" }).hex).toBe("ff");
  });
});

describe("state badges", () => {
  it("names the consumer, idle time and deliveries of a pending entry", () => {
    expect(stateText({ state: "pending", consumer: "alice", idleMs: 3000, deliveries: 2 })).toBe(
      "pending · alice · idle 3.0 s · 2 deliveries",
    );
    expect(stateText({ state: "pending", consumer: "b", idleMs: 5, deliveries: 1 })).toContain("1 delivery");
    expect(stateText({ state: "delivered" })).toBe("delivered to stream");
    expect(stateText({ state: "acked" })).toBe("acked");
    expect(stateTone({ state: "delivered" })).toBe("info");
  });
});

describe("paging directions", () => {
  it("follows next for Older when newest first, and for Newer when oldest first", () => {
    expect(pagingDirections("desc")).toEqual({ newer: "back", older: "forward" });
    expect(pagingDirections("asc")).toEqual({ newer: "forward", older: "back" });
  });
});

describe("lagText and time input", () => {
  it("shows lag as an estimate or unknown", () => {
    expect(lagText(null)).toBe("unknown");
    expect(lagText(1234)).toBe("≈1,234");
  });
  it("parses datetime-local values", () => {
    expect(localInputToMs("")).toBeNull();
    expect(localInputToMs("garbage")).toBeNull();
    expect(localInputToMs("2026-11-26T01:00")).toBe(new Date("2026-11-26T01:00").getTime());
  });
});

describe("originStreamOf", () => {
  it("finds the origin of a dead-lettered copy and ignores ordinary entries", async () => {
    const { originStreamOf } = await import("@/components/stream/entry-display");
    expect(
      originStreamOf({
        fields: [
          ["a", "1"],
          ["streamscope-origin-stream", "payments"],
        ],
      }),
    ).toBe("payments");
    expect(originStreamOf({ fields: [["a", "1"]] })).toBeNull();
    expect(originStreamOf({ fields: [["streamscope-origin-stream", { base64: "AA==" }]] })).toBeNull();
  });
});

describe("stateColumnGroups", () => {
  const many = Array.from({ length: 12 }, (_, i) => `g${i}`);
  it("shows every group of a stream with few, and the answer's choice when it names one", () => {
    expect(stateColumnGroups(["a", "b"], [])).toEqual(["a", "b"]);
    expect(stateColumnGroups(many, [], ["g3"])).toEqual(["g3"]);
  });
  it("over the cap without a choice, shows the groups that have states, in the stream's order", () => {
    expect(stateColumnGroups(many, [{ states: { g7: {}, g2: {} } }, { states: { g9: {} } }])).toEqual([
      "g2",
      "g7",
      "g9",
    ]);
  });
});
