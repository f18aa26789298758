import { describe, expect, it } from "vitest";
import {
  describeFilter,
  durationInputText,
  filterToQuery,
  filterToSearch,
  isEmptyFilter,
  parseDurationInput,
  parseFilter,
  toActionFilter,
} from "@/components/pending/pending-filter";

describe("parseFilter", () => {
  it("reads the alert link's query", () => {
    const q = new URLSearchParams("consumer=worker-3&minIdleMs=300000&minDeliveries=2&start=5&end=1700000000000-9");
    expect(parseFilter(q)).toEqual({
      consumer: "worker-3",
      minIdleMs: 300000,
      minDeliveries: 2,
      start: "5-0",
      end: "1700000000000-9",
    });
  });
  it("reads Next's searchParams record (first of repeated values)", () => {
    expect(parseFilter({ consumer: ["a", "b"], minIdleMs: "10" })).toEqual({ consumer: "a", minIdleMs: 10 });
  });
  it("drops values that do not parse instead of sending junk", () => {
    expect(parseFilter(new URLSearchParams("minIdleMs=-5&minDeliveries=1.5&start=abc&end=1-2-3"))).toEqual({});
    expect(parseFilter(new URLSearchParams("minIdleMs=&consumer="))).toEqual({});
  });
  it("round-trips through the query string", () => {
    const filter = { consumer: "a b&c", minIdleMs: 5000, start: "1-0" };
    expect(parseFilter(new URLSearchParams(filterToSearch(filter).slice(1)))).toEqual(filter);
    expect(filterToSearch({})).toBe("");
    expect(filterToQuery({ minIdleMs: 0 })).toEqual({});
  });
});

describe("toActionFilter", () => {
  it("maps the id range to minId / maxId", () => {
    expect(toActionFilter({ consumer: "w", minIdleMs: 1, minDeliveries: 3, start: "1-0", end: "2-0" })).toEqual({
      consumer: "w",
      minIdleMs: 1,
      minDeliveries: 3,
      minId: "1-0",
      maxId: "2-0",
    });
    expect(toActionFilter({})).toEqual({});
  });
});

describe("describeFilter", () => {
  it("says in words which messages match", () => {
    expect(describeFilter({ consumer: "worker-3", minIdleMs: 300_000 })).toBe(
      'owned by "worker-3", idle at least 5 min 0 s',
    );
    expect(describeFilter({ start: "1-0", end: "9-0", minDeliveries: 3 })).toBe(
      "delivered at least 3 times, with ids 1-0 to 9-0",
    );
    expect(describeFilter({ end: "9-0" })).toBe("with ids up to 9-0");
    expect(describeFilter({})).toBe("every pending message of the group");
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ consumer: "x" })).toBe(false);
  });
});

describe("duration input", () => {
  it("parses units and bare milliseconds", () => {
    expect(parseDurationInput("30s")).toBe(30_000);
    expect(parseDurationInput("5m")).toBe(300_000);
    expect(parseDurationInput("5 min")).toBe(300_000);
    expect(parseDurationInput("1.5h")).toBe(5_400_000);
    expect(parseDurationInput("250")).toBe(250);
    expect(parseDurationInput("2d")).toBe(172_800_000);
    expect(parseDurationInput("")).toBeUndefined();
    expect(parseDurationInput("soon")).toBeNull();
    expect(parseDurationInput("-5s")).toBeNull();
  });
  it("writes the shortest exact form back", () => {
    expect(durationInputText(300_000)).toBe("5m");
    expect(durationInputText(90_000)).toBe("90s");
    expect(durationInputText(1500)).toBe("1500ms");
    expect(durationInputText(undefined)).toBe("");
    for (const ms of [1, 999, 60_000, 3_600_000, 86_400_000, 123_456])
      expect(parseDurationInput(durationInputText(ms))).toBe(ms);
  });
});
