import { describe, expect, it } from "vitest";
import { problemsFirst, problemsFirstKept, streamProblem } from "@/lib/streams/problem-order";
import type { KeptGroup } from "@/lib/streams/stuck-snapshot";

function g(stream: string, group: string, stuck: number, oldestId: string | null, stuckAfterMs = 60_000): KeptGroup {
  return { stream, group, stuckAfterMs, oldestId, stuck, complete: true };
}

const keys = ["a", "b", "c", "d", "e", "f"];

describe("problemsFirst", () => {
  it("puts stuck streams first (most stuck first), then pending ones (oldest first), then the rest in key order", () => {
    const groups = [g("e", "g", 0, "5-0"), g("c", "g", 2, "9-0"), g("f", "g", 7, "20-0"), g("b", "g", 0, "3-0")];
    expect(problemsFirst(keys, { groups })).toEqual(["f", "c", "b", "e", "a", "d"]);
  });

  it("breaks ties in stuck count by the oldest pending id (older first, by number not text), then by key order", () => {
    const groups = [
      g("a", "g", 3, "100-0"),
      g("b", "g", 3, "99-5"),
      g("c", "g", 3, "99-5"),
      g("d", "g", 3, null),
      g("e", "g", 0, "7-0"),
      g("f", "g", 0, "7-0"),
    ];
    expect(problemsFirst(keys, { groups })).toEqual(["b", "c", "a", "d", "e", "f"]);
  });

  it("sums a stream's groups and takes their oldest pending id", () => {
    const groups = [g("a", "g1", 1, "50-0"), g("a", "g2", 2, "10-0"), g("b", "g", 3, "20-0")];
    expect(streamProblem("a", groups.slice(0, 2))).toEqual({ stuck: 3, oldestId: "10-0" });
    // 3 stuck each: a's oldest pending (10-0) is older than b's (20-0).
    expect(problemsFirst(["a", "b"], { groups })).toEqual(["a", "b"]);
  });

  it("answers the keys as given for no snapshot or an empty one, and never the same array", () => {
    expect(problemsFirst(keys, null)).toEqual(keys);
    expect(problemsFirst(keys, null)).not.toBe(keys);
    expect(problemsFirst(keys, { groups: [] })).toEqual(keys);
    expect(problemsFirst([], { groups: [g("a", "g", 1, "1-0")] })).toEqual([]);
  });

  it("leaves keys the snapshot does not name in key order, and ignores groups of streams not in the list", () => {
    const groups = [g("zz", "g", 100, "1-0"), g("d", "g", 1, "5-0"), g("other", "g", 0, "1-0")];
    const out = problemsFirst(keys, { groups });
    expect(out).toEqual(["d", "a", "b", "c", "e", "f"]);
    expect(out).not.toContain("zz");
    expect(out).toHaveLength(keys.length);
  });

  it("counts a group's stuck messages only under the threshold the settings give it now", () => {
    const groups = [g("a", "g", 5, "9-0", 1000), g("b", "g", 1, "50-0", 60_000)];
    const now = (_stream: string, group: string) => (group === "g" ? 60_000 : 0);
    // a's count was taken under 1 s: it keeps its oldest pending id, not its stuck count.
    expect(problemsFirst(["a", "b", "c"], { groups }, now)).toEqual(["b", "a", "c"]);
    expect(problemsFirst(["a", "b", "c"], { groups })).toEqual(["a", "b", "c"]);
  });

  it("treats a group with nothing pending left as no problem, and skips an unreadable oldest id", () => {
    const groups = [g("a", "g", 0, null), g("b", "g", 0, "not-an-id"), g("c", "g", 0, "1-0")];
    expect(problemsFirst(["a", "b", "c"], { groups })).toEqual(["c", "a", "b"]);
  });

  it("is deterministic whatever the order of the snapshot's groups", () => {
    const groups = keys.map((k, i) => g(k, "g", i % 3, `${100 - (i % 2)}-0`));
    const once = problemsFirst(keys, { groups });
    expect(problemsFirst(keys, { groups: [...groups].reverse() })).toEqual(once);
    expect(once).toEqual(["f", "c", "b", "e", "d", "a"]);
  });
});

describe("problemsFirstKept", () => {
  const snapshot = () => ({ at: 1, groups: [g("e", "g", 1, "5-0", 30_000), g("c", "g", 2, "9-0", 30_000)] });

  it("answers the same order for the same snapshot, keys and rules, and recomputes when any of them changes", () => {
    const kept = snapshot();
    const first = problemsFirstKept(keys, kept, []);
    expect(first).toEqual(["c", "e", "a", "b", "d", "f"]);
    expect(problemsFirstKept(keys, kept, [])).toBe(first);
    // The same rules in a new array (settings are read again every few seconds): still kept.
    expect(problemsFirstKept(keys, kept, [])).toBe(first);

    // c's threshold is now another one than the snapshot counted with: its count no longer holds.
    const rules = [{ stream: "c", group: "*", stuckAfterMs: 60_000 }] as Parameters<typeof problemsFirstKept>[2];
    expect(problemsFirstKept(keys, kept, rules)).toEqual(["e", "c", "a", "b", "d", "f"]);

    const more = [...keys, "0"];
    expect(problemsFirstKept(more, kept, [])).toEqual(["c", "e", "a", "b", "d", "f", "0"]);

    const next = { at: 2, groups: [g("a", "g", 9, "1-0", 30_000)] };
    expect(problemsFirstKept(keys, next, [])).toEqual(["a", "b", "c", "d", "e", "f"]);
  });
});
