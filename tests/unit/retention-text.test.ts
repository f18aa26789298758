import { describe, expect, it } from "vitest";
import { retentionText } from "@/components/overview/retention-text";
import type { Alert } from "@/lib/contract/alerts";
import type { FamilyRetentionResponse, RetentionMember } from "@/lib/contract/families";

const m = (key: string, over: Partial<RetentionMember>): RetentionMember => ({
  key,
  ttlMs: 3600_000,
  memoryBytes: 1000,
  length: 1,
  groups: 1,
  unprocessed: 0,
  pending: 0,
  noTtl: false,
  atRisk: false,
  producerCreated: false,
  ...over,
});

const answer = (over: Partial<FamilyRetentionResponse> = {}): FamilyRetentionResponse => ({
  pattern: "orders_<yyyyMMddHH>",
  configured: true,
  ttlSeconds: 7200,
  members: [
    m("orders_2026112503", { memoryBytes: 1000 }),
    m("orders_2026112502", { ttlMs: 120_000, unprocessed: 7, atRisk: true, memoryBytes: 2000 }),
    m("orders_2026112501", { ttlMs: 10_000, unprocessed: 1234, atRisk: true, memoryBytes: null }),
    m("orders_2026112500", { ttlMs: null, noTtl: true, producerCreated: true, memoryBytes: 5000 }),
  ],
  memberCount: 4,
  capped: false,
  complete: true,
  memoryBytes: 8000,
  ...over,
});

const alert = (stream: string, rule: Alert["rule"], message: string): Alert => ({
  id: "a",
  rule,
  stream,
  group: null,
  consumer: null,
  state: "firing",
  severity: "warning",
  message,
  firstSeen: 0,
  lastSeen: 0,
  resolvedAt: null,
  silencedUntil: null,
  link: "/",
});

describe("retention panel text", () => {
  it("lists at-risk members soonest first with how long and how many, then the ones without TTL", () => {
    const t = retentionText(answer());
    expect(t.summary).toBe("4 members, 1 without TTL, 2 at risk, memory 7.8 KiB");
    expect(t.atRisk).toEqual([
      { key: "orders_2026112501", text: "expires in 10 s with 1,234 unprocessed" },
      { key: "orders_2026112502", text: "expires in 2 min 0 s with 7 unprocessed" },
    ]);
    expect(t.noTtl).toEqual([{ key: "orders_2026112500", text: "no TTL: never expires" }]);
    expect(t.producerCreated).toEqual([
      {
        key: "orders_2026112500",
        text: "created by a producer before the worker: no TTL, rotation never set one up",
      },
    ]);
    expect(t.notes).toEqual([]);
  });

  it("gives memory by member, largest first, with its share; unknown memory last", () => {
    const t = retentionText(answer());
    expect(t.memory.map((x) => [x.key, x.share])).toEqual([
      ["orders_2026112500", "63%"],
      ["orders_2026112502", "25%"],
      ["orders_2026112503", "13%"],
      ["orders_2026112501", ""],
    ]);
  });

  it("gathers only the family's expiry and TTL alerts", () => {
    const t = retentionText(answer(), [
      alert("orders_2026112500", "family-no-ttl", "no ttl here"),
      alert("orders_2026112501", "stream-expiring", "expiring soon"),
      alert("orders_2026112501", "pending-over", "too much pending"),
      alert("payments_2026112500", "family-no-ttl", "another family"),
    ]);
    expect(t.alerts).toEqual(["no ttl here", "expiring soon"]);
  });

  it("says when the answer is partial", () => {
    const t = retentionText(answer({ capped: true, memberCount: 900, complete: false }));
    expect(t.summary.startsWith("900 members")).toBe(true);
    expect(t.notes).toEqual([
      "Showing the newest 4 of 900 members.",
      "Still discovering streams: some members may be missing.",
    ]);
  });

  it("an unconfigured family's producer-created member says the worker never sets a TTL", () => {
    const t = retentionText(answer({ configured: false, ttlSeconds: null }));
    expect(t.producerCreated[0]!.text).toMatch(/not configured/);
  });
});
