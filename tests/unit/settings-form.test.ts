import { describe, expect, it } from "vitest";
import {
  draftToFamily,
  draftToObject,
  draftToRule,
  emptyRule,
  familyToDraft,
  ruleToDraft,
} from "@/components/settings/settings-form";

describe("settings form drafts", () => {
  it("round-trips a family, splitting groups and turning numbers back into numbers", () => {
    const family = {
      name: "orders",
      pattern: "orders_<yyyyMMddHH>",
      groups: ["a", "b"],
      ttlSeconds: 7200,
      ahead: 1,
      timeZone: "UTC",
    };
    expect(draftToFamily(familyToDraft(family))).toEqual(family);
    expect(draftToFamily({ ...familyToDraft(family), groups: " a ,, b ", ttlSeconds: "" })).toEqual({
      ...family,
      ttlSeconds: undefined,
      groups: ["a", "b"],
    });
  });

  it("leaves out empty rule fields (defaults apply) and keeps junk as text for the server to name", () => {
    expect(draftToRule(emptyRule)).toEqual({ stream: "*", group: "*" });
    const rule = {
      stream: "o_*",
      group: "g",
      stuckAfterMs: 1000,
      policy: "requeue" as const,
      maxDeliveries: 3,
      deadLetter: "<stream>:dlq",
      trim: true,
      allGroups: true,
      reassignTo: "x",
    };
    expect(draftToRule(ruleToDraft(rule))).toEqual(rule);
    expect(draftToRule({ ...emptyRule, stuckAfterMs: "soon" }).stuckAfterMs).toBe("soon");
    expect(draftToRule(ruleToDraft({ stream: "o_*", group: "g", reapAfterMs: 86_400_000 }))).toEqual({
      stream: "o_*",
      group: "g",
      reapAfterMs: 86_400_000,
    });
    const reaping = { stream: "o_*", group: "g", reapAfterMs: 60_000, reapPolicy: "requeue" as const };
    expect(draftToRule(ruleToDraft(reaping))).toEqual(reaping);
  });

  it("saves only the filled-in fields of an object section", () => {
    expect(draftToObject({ guardWindowMs: "600000", guardCapMs: "" })).toEqual({ guardWindowMs: 600000 });
  });
});

describe("JSON-edited sections", () => {
  it("parses valid JSON and reports why invalid text is refused", async () => {
    const { jsonToDraft, parseJsonDraft } = await import("@/components/settings/settings-form");
    const draft = jsonToDraft({ webhooks: [], rules: [{ stream: "payments", pendingOver: 10 }] });
    expect(parseJsonDraft(draft)).toEqual({
      ok: true,
      value: { webhooks: [], rules: [{ stream: "payments", pendingOver: 10 }] },
    });
    const bad = parseJsonDraft('{"webhooks": [');
    expect(bad.ok).toBe(false);
  });
});
