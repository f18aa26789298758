import { describe, expect, it } from "vitest";
import { parseConfigText } from "@/lib/config/load";
import { deadLetterTarget, resolveGroupRule } from "@/lib/config/resolve";
import { globMatch } from "@/lib/shared/glob";

describe("config file", () => {
  it("names an unknown key", () => {
    expect(() => parseConfigText(JSON.stringify({ families: [], bogus: 1 }))).toThrow(/unknown key bogus/);
    expect(() => parseConfigText(JSON.stringify({ groups: [{ stream: "a", stuckAfter: 5 }] }))).toThrow(
      /groups\.0.*stuckAfter/,
    );
  });
  it("names a wrong type", () => {
    expect(() => parseConfigText(JSON.stringify({ groups: [{ stuckAfterMs: "fast" }] }))).toThrow(
      /groups\.0\.stuckAfterMs/,
    );
  });
  it("rejects junk JSON", () => {
    expect(() => parseConfigText("{nope")).toThrow(/not valid JSON/);
  });
  it("fills family defaults", () => {
    const c = parseConfigText(JSON.stringify({ families: [{ name: "o", pattern: "orders_<yyyyMMddHH>" }] }));
    expect(c.families[0]).toMatchObject({ ahead: 1, timeZone: "UTC", groups: [] });
  });
});

describe("group rules", () => {
  const rules = [
    { stream: "orders_*", group: "slow", stuckAfterMs: 120_000 },
    { stream: "orders_*", group: "*", policy: "requeue" as const },
  ];
  it("takes the first matching rule and defaults for the rest", () => {
    expect(resolveGroupRule(rules, "orders_2026112500", "slow")).toMatchObject({
      stuckAfterMs: 120_000,
      policy: "alert",
      matchedRule: 0,
    });
    expect(resolveGroupRule(rules, "orders_2026112500", "fast")).toMatchObject({
      stuckAfterMs: 30_000,
      policy: "requeue",
      matchedRule: 1,
    });
    expect(resolveGroupRule(rules, "payments", "fast")).toMatchObject({
      stuckAfterMs: 30_000,
      policy: "alert",
      matchedRule: null,
      maxDeliveries: 5,
    });
  });
  it("expands the dead-letter placeholder", () => {
    expect(deadLetterTarget("<stream>:dlq", "a/b")).toBe("a/b:dlq");
  });
});

describe("redis glob", () => {
  it("matches like Redis MATCH", () => {
    expect(globMatch("orders_*", "orders_2026/x")).toBe(true);
    expect(globMatch("h?llo", "hello")).toBe(true);
    expect(globMatch("h[ae]llo", "hallo")).toBe(true);
    expect(globMatch("h[^e]llo", "hello")).toBe(false);
    expect(globMatch("a.b", "axb")).toBe(false);
    expect(globMatch("\\*", "*")).toBe(true);
  });
});
