import { describe, expect, it } from "vitest";
import {
  alertId,
  deadLetterGlobs,
  evaluateGroup,
  groupLink,
  hasUnprocessed,
  resolveAlertThresholds,
  ALERT_DEFAULTS,
} from "@/lib/alerts/rules";
import type { GroupSnapshot, StreamSnapshot } from "@/lib/streams/snapshot";
import { familyMatcher } from "@/lib/shared/families";

const group = (over: Partial<GroupSnapshot> = {}): GroupSnapshot => ({
  name: "g",
  consumerCount: 1,
  pending: 0,
  lag: 0,
  entriesRead: 0,
  lastDeliveredId: "0-0",
  stuckAfterMs: 30_000,
  oldestPending: null,
  stuck: { count: 0, capped: false, maxIdleMs: 0 },
  mostDelivered: null,
  consumers: [],
  consumersListed: "all",
  consumersOmitted: 0,
  ...over,
});

describe("alert thresholds", () => {
  it("first matching override wins, the rest comes from the defaults", () => {
    const rules = [
      { stream: "orders_*", group: "billing", pendingOver: 5 },
      { stream: "orders_*", group: "*", lagOver: 7, severity: "critical" as const },
    ];
    expect(resolveAlertThresholds(rules, "orders_1", "billing")).toMatchObject({
      pendingOver: 5,
      lagOver: ALERT_DEFAULTS.lagOver,
      severity: null,
    });
    expect(resolveAlertThresholds(rules, "orders_1", "other")).toMatchObject({
      pendingOver: ALERT_DEFAULTS.pendingOver,
      lagOver: 7,
      severity: "critical",
    });
    // Stream-level rules only take overrides that apply to every group.
    expect(resolveAlertThresholds(rules, "orders_1", null).lagOver).toBe(7);
    expect(resolveAlertThresholds(rules, "payments", "billing")).toEqual(ALERT_DEFAULTS);
  });
});

describe("group rules", () => {
  it("fires long-pending with a capped count and the filtered link", () => {
    const [c] = evaluateGroup(
      "a/b",
      group({ pending: 2000, stuck: { count: 1000, capped: true, maxIdleMs: 90_000 } }),
      { ...ALERT_DEFAULTS, pendingOver: null },
      0,
    );
    expect(c).toMatchObject({ rule: "long-pending", severity: "warning", value: 1000 });
    expect(c!.message).toContain("1,000+ messages pending over 30 s");
    expect(c!.link).toBe("/streams/a%2Fb/groups/g?minIdleMs=30000");
  });

  it("treats a consumer that never read (inactive -1) as dead when it owns pending", () => {
    const out = evaluateGroup(
      "s",
      group({ pending: 1, consumers: [{ name: "c", pending: 1, idleMs: 5, inactiveMs: -1 }] }),
      ALERT_DEFAULTS,
      0,
    );
    expect(out.map((c) => c.rule)).toEqual(["dead-consumer"]);
    expect(out[0]!.message).toContain("since it was created");
    const alive = evaluateGroup(
      "s",
      group({ pending: 1, consumers: [{ name: "c", pending: 1, idleMs: 5, inactiveMs: 10 }] }),
      ALERT_DEFAULTS,
      0,
    );
    expect(alive).toEqual([]);
  });

  it("unknown lag never fires lag-over", () => {
    expect(evaluateGroup("s", group({ lag: null }), { ...ALERT_DEFAULTS, lagOver: 0 }, 0)).toEqual([]);
  });

  it("poison fires over poisonOver deliveries (default 10), one alert per group naming the message", () => {
    const poison = (deliveries: number) =>
      evaluateGroup(
        "s",
        group({ pending: 1, mostDelivered: { id: "5-0", consumer: "w1", idleMs: 0, deliveries } }),
        ALERT_DEFAULTS,
        0,
      ).filter((c) => c.rule === "poison");
    expect(poison(10)).toEqual([]);
    const [c] = poison(11);
    expect(c).toMatchObject({ group: "g", consumer: null, value: 11, severity: "warning" });
    expect(c!.message).toContain('Message 5-0 of group "g" on "s" has been delivered 11 times');
    expect(c!.message).toContain('consumer "w1"');
    expect(c!.id).toBe(poison(12)[0]!.id);
  });

  it("consumers-over fires over consumersOver consumers (default 1000)", () => {
    const leak = (consumerCount: number) =>
      evaluateGroup("s", group({ consumerCount }), ALERT_DEFAULTS, 0).filter((c) => c.rule === "consumers-over");
    expect(leak(1000)).toEqual([]);
    expect(leak(1001)[0]).toMatchObject({ group: "g", value: 1001 });
  });
});

describe("helpers", () => {
  it("family patterns accept only real dates and hours", () => {
    const hourly = familyMatcher("orders_<yyyyMMddHH>");
    expect(hourly("orders_2026112523")).toBe(true);
    expect(hourly("orders_2026112524")).toBe(false);
    expect(hourly("orders_2026022900")).toBe(false);
    expect(hourly("orders_2028022900")).toBe(true);
    expect(hourly("xorders_2026112523")).toBe(false);
    expect(familyMatcher("{eu}.daily.<yyyyMMdd>")("{eu}.daily.20261125")).toBe(true);
  });

  it("dead-letter globs include every configured target", () => {
    expect(deadLetterGlobs(undefined, [{ stream: "*", group: "*", deadLetter: "dead:<stream>" }])).toEqual([
      "*:dlq",
      "dead:*",
    ]);
    expect(deadLetterGlobs(["*.dead"], [])).toEqual(["*.dead"]);
  });

  it("ids are stable and distinct per rule, stream, group and consumer", () => {
    expect(alertId("long-pending", "s", "g", null)).toBe(alertId("long-pending", "s", "g", null));
    expect(alertId("long-pending", "s", "g", null)).not.toBe(alertId("long-pending", "s:g", null, null));
    expect(alertId("dead-consumer", "s", "g", "a")).not.toBe(alertId("dead-consumer", "s", "g", "b"));
    expect(groupLink("s", "g 1", { consumer: "c&d" })).toBe("/streams/s/groups/g%201?consumer=c%26d");
  });

  it("unprocessed: pending, or waiting when lag is unknown", () => {
    const s = (g: Partial<GroupSnapshot>): StreamSnapshot => ({
      key: "s",
      length: 3,
      entriesAdded: 3,
      lastGeneratedId: "3-0",
      ttlMs: 1,
      groups: [group(g)],
    });
    expect(hasUnprocessed(s({ lag: 0, lastDeliveredId: "3-0" }))).toBe(false);
    expect(hasUnprocessed(s({ lag: 2 }))).toBe(true);
    expect(hasUnprocessed(s({ lag: null, lastDeliveredId: "1-0" }))).toBe(true);
    expect(hasUnprocessed(s({ pending: 1 }))).toBe(true);
  });
});
