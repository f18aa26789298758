import { describe, expect, it } from "vitest";
import {
  changedCount,
  confirmLabel,
  describeConsequence,
  dialogTitle,
  groupsText,
  idsText,
  JOB_VERB,
  summarizeJobResult,
  summarizeResult,
} from "@/components/actions/action-text";
import { ApiError } from "@/lib/client/fetcher";
import {
  asClaim,
  buildActionBody,
  isAllGroupsRefusal,
  knownCount,
  minIdleOf,
  PACE_CHOICES,
  type ActionRequest,
} from "@/components/actions/action-request";

describe("action words", () => {
  it("names a bulk reap job and its final counts in consumers; a message action's job as its toast", () => {
    expect(JOB_VERB.reap).toBe("Reap");
    expect(JOB_VERB.ack).toBe("Ack");
    expect(summarizeJobResult("reap", { deleted: 30_000, kept: 0, handedOver: 0, requeued: 0 })).toBe(
      "Reaped 30,000 consumers",
    );
    expect(summarizeJobResult("reap", { deleted: 1, kept: 2, handedOver: 40 })).toBe(
      "Reaped 1 consumer, 40 messages handed over, kept 2",
    );
    expect(summarizeJobResult("reap", { deleted: 3, requeued: 1 })).toBe("Reaped 3 consumers, 1 message requeued");
    expect(summarizeJobResult("ack", { acked: 1200 })).toBe(summarizeResult("ack", { acked: 1200 }));
  });

  it("names the message in the dialog of a one-message action, and lists a few ids of more", () => {
    expect(dialogTitle("ack", ["1700000000000-0"], 1)).toBe("Ack message 1700000000000-0?");
    expect(dialogTitle("ack", ["1-0", "2-0"], 2)).toBe("Ack 2 messages?");
    expect(dialogTitle("requeue", null, null)).toBe("Requeue matching messages?");
    expect(idsText(["1-0"])).toBe("1-0");
    expect(idsText(["1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0"])).toBe("1-0, 2-0, 3-0, 4-0, 5-0 and 2 more");
  });

  it("names the count on the confirming button", () => {
    expect(confirmLabel("requeue", 120)).toBe("Requeue 120 messages");
    expect(confirmLabel("ack", 1)).toBe("Ack 1 message");
    expect(confirmLabel("dead-letter", 1500)).toBe("Dead-letter 1,500 messages");
    expect(confirmLabel("delete", null)).toBe("Delete matching messages");
  });

  it("says what will change", () => {
    const ctx = { stream: "orders", group: "billing" };
    expect(describeConsequence("ack", 3, ctx)).toMatch(/^3 messages will be acknowledged for group "billing"/);
    expect(describeConsequence("claim", 2, { ...ctx, consumer: "w2", minIdleMs: 60_000 })).toMatch(
      /consumer "w2".*60,000 ms/,
    );
    expect(describeConsequence("dead-letter", 1, { ...ctx, target: "orders:dlq" })).toMatch(/"orders:dlq"/);
    expect(describeConsequence("delete", 5, ctx)).toMatch(/Every group of the stream loses them/);
  });

  it("warns on requeue that copies reach every group", () => {
    expect(describeConsequence("requeue", 4, { stream: "s", group: "g", groupCount: 3 })).toMatch(/reach all 3 groups/);
    expect(describeConsequence("requeue", 4, { stream: "s", group: "g", groupCount: 1 })).not.toMatch(/reach all/);
  });

  it("summarizes outcomes for the toast", () => {
    expect(summarizeResult("requeue", { requeued: 120, skipped: 3 })).toBe("Requeued 120, skipped 3");
    expect(summarizeResult("ack", { acked: 1, skipped: 0 })).toBe("Acked 1");
    expect(summarizeResult("claim", { claimed: 4, deleted: 2, skipped: 0 })).toBe("Claimed 4, message deleted for 2");
    expect(summarizeResult("dead-letter", { moved: 7, skipped: 0, target: "s:dlq" })).toBe(
      "Dead-lettered 7 to s:dlq, skipped 0",
    );
    expect(summarizeResult("delete", { deleted: 1200 })).toBe("Deleted 1,200");
    expect(changedCount("requeue", { requeued: 0, skipped: 3 })).toBe(0);
    expect(changedCount("dead-letter", { moved: 2 })).toBe(2);
  });
});

describe("action requests", () => {
  const byIds: ActionRequest = { action: "claim", target: { kind: "ids", ids: ["1-0", "2-0"] } };
  const byFilter: ActionRequest = {
    action: "requeue",
    target: { kind: "filter", filter: { consumer: "w" }, description: "" },
  };

  it("builds each action's body with only the options it takes", () => {
    expect(buildActionBody(byIds, { consumer: "w2", minIdleMs: 500, allGroups: true })).toEqual({
      ids: ["1-0", "2-0"],
      consumer: "w2",
      minIdleMs: 500,
    });
    expect(buildActionBody(byFilter, { allGroups: false, consumer: "x" })).toEqual({ filter: { consumer: "w" } });
    expect(buildActionBody(byFilter, { allGroups: true })).toEqual({ filter: { consumer: "w" }, allGroups: true });
    const dl: ActionRequest = { ...byFilter, action: "dead-letter" };
    expect(buildActionBody(dl, { deadLetterTarget: "  " })).toEqual({ filter: { consumer: "w" } });
    expect(buildActionBody(dl, { deadLetterTarget: " dead " })).toEqual({ filter: { consumer: "w" }, target: "dead" });
  });

  it("sends the pace the operator chose, and none by default", () => {
    expect(buildActionBody(byFilter, { pacePerSecond: 1000 })).toEqual({
      filter: { consumer: "w" },
      pacePerSecond: 1000,
    });
    expect(buildActionBody(byFilter, {})).toEqual({ filter: { consumer: "w" } });
    expect(PACE_CHOICES.map((c) => c.label)).toEqual([
      "As fast as possible",
      "10,000 per second",
      "1,000 per second",
      "100 per second",
    ]);
    expect(PACE_CHOICES[0]?.pace).toBeNull();
  });

  it("knows the count of an ids request only", () => {
    expect(knownCount(byIds)).toBe(2);
    expect(knownCount(byFilter)).toBeNull();
    expect(asClaim(byFilter)).toEqual({ ...byFilter, action: "claim" });
  });

  it("uses the smallest observed idle as the claim's min idle", () => {
    expect(minIdleOf([{ idleMs: 500 }, { idleMs: 90 }, { idleMs: 7000 }])).toBe(90);
    expect(minIdleOf([])).toBe(0);
  });

  it("recognises the server's several-groups refusal by its code, whatever its wording", () => {
    expect(isAllGroupsRefusal(new ApiError("REQUEUE_NEEDS_ALL_GROUPS", "Stream s is read by 2 groups", 409))).toBe(
      true,
    );
    expect(
      isAllGroupsRefusal(new ApiError("REQUEUE_NEEDS_ALL_GROUPS", "Nothing about groups in these words", 409)),
    ).toBe(true);
    expect(isAllGroupsRefusal(new ApiError("CONFLICT", 'Stream has 2 groups: pass "allGroups": true', 409))).toBe(
      false,
    );
    expect(isAllGroupsRefusal(new Error('Stream has 2 groups: pass "allGroups": true'))).toBe(false);
    expect(isAllGroupsRefusal(new ApiError("REDIS_UNAVAILABLE", "Redis is unreachable", 503))).toBe(false);
  });
});

describe("groupsText", () => {
  it("names the first 10 groups listed and counts the rest, listed or not", () => {
    const names = Array.from({ length: 12 }, (_, i) => `g${i}`);
    expect(groupsText({ names: names.slice(0, 3), total: 3 })).toBe("g0, g1, g2");
    expect(groupsText({ names, total: 12 })).toBe("g0, g1, g2, g3, g4, g5, g6, g7, g8, g9 and 2 more");
    expect(groupsText({ names, total: 5000 })).toBe("g0, g1, g2, g3, g4, g5, g6, g7, g8, g9 and 4,990 more");
  });
});
