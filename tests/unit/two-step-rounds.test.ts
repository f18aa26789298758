import { describe, expect, it } from "vitest";
import { roundsOfBytes, type CopyPlan } from "@/lib/actions/two-step";
import { SCRIPT_ENTRY_BYTES } from "@/lib/actions/scripts";

const plan = (id: string, bytes: number): CopyPlan => ({ id, fields: ["payload", Buffer.alloc(bytes - 7)] });
const ids = (rounds: CopyPlan[][]) => rounds.map((r) => r.map((p) => p.id));

describe("two-step copies in rounds of about SCRIPT_ENTRY_BYTES", () => {
  it("keeps small copies in one round", () => {
    expect(ids(roundsOfBytes(["a", "b", "c"].map((id) => plan(id, 1000))))).toEqual([["a", "b", "c"]]);
  });

  it("starts a round when the next copy would pass the bytes, and sends a bigger copy alone", () => {
    const half = SCRIPT_ENTRY_BYTES / 2;
    const plans = [plan("a", half), plan("b", half), plan("c", 10), plan("d", 4 * SCRIPT_ENTRY_BYTES), plan("e", 10)];
    expect(ids(roundsOfBytes(plans))).toEqual([["a", "b"], ["c"], ["d"], ["e"]]);
  });

  it("counts strings by their UTF-8 bytes, and answers no round for no copies", () => {
    const wide = { id: "w", fields: ["v", "é".repeat(SCRIPT_ENTRY_BYTES / 2)] };
    expect(ids(roundsOfBytes([wide, plan("x", 10)]))).toEqual([["w"], ["x"]]);
    expect(roundsOfBytes([])).toEqual([]);
  });
});
