import { describe, expect, it } from "vitest";
import { reapPolicyText, reapSummary } from "@/components/group/reap-text";
import type { ReapResponse } from "@/lib/contract/reap";

const base: ReapResponse = {
  dryRun: true,
  policy: "hand-over",
  consumers: [
    { name: "a", pending: 3, inactiveMs: 7_200_000, outcome: "deleted" },
    { name: "b", pending: 0, inactiveMs: 9_000_000, outcome: "deleted" },
  ],
  consumersOmitted: 0,
  handedOver: 3,
  requeued: 0,
  deleted: 2,
  to: "live",
  listed: "all",
  more: false,
};

describe("reap summary", () => {
  it("says what a dry run would do and what a run did", () => {
    expect(reapSummary(base)).toBe("Would hand 3 messages to live and delete 2 of 2 inactive consumers.");
    expect(reapSummary({ ...base, dryRun: false, deleted: 1 })).toBe(
      "Handed 3 messages to live, deleted 1 consumers, kept 1.",
    );
  });

  it("warns when nobody is live, when only owners were listed, and when more is left", () => {
    const text = reapSummary({ ...base, to: null, handedOver: 0, deleted: 1, listed: "pending-owners", more: true });
    expect(text).toContain("only consumers that own pending messages were listed");
    expect(text).toContain("Nobody is live");
    expect(text).toContain("run it again");
    expect(reapSummary({ ...base, consumers: [] })).toMatch(/nothing to reap/);
  });

  it("under the requeue policy says how many would be requeued, with no target and no 'nobody live' warning", () => {
    const requeue: ReapResponse = { ...base, policy: "requeue", to: null, handedOver: 0, requeued: 3 };
    expect(reapSummary(requeue)).toBe("Would requeue 3 messages and delete 2 of 2 inactive consumers.");
    expect(reapSummary({ ...requeue, dryRun: false })).toBe("Requeued 3 messages, deleted 2 consumers.");
    expect(reapPolicyText("requeue")).toMatch(/^requeue: /);
    expect(reapPolicyText("hand-over")).toMatch(/^hand over: /);
  });
});
