import { describe, expect, it } from "vitest";
import {
  MAX_IDS_PER_REQUEST,
  ackBodySchema,
  claimBodySchema,
  createGroupBodySchema,
  deadLetterBodySchema,
  pendingQuerySchema,
  publishBodySchema,
  requeueBodySchema,
} from "@/lib/contract/pending";

describe("pending API request schemas", () => {
  it("take exactly one of ids or filter", () => {
    expect(ackBodySchema.safeParse({ ids: ["1-0"] }).success).toBe(true);
    expect(ackBodySchema.safeParse({ filter: {} }).success).toBe(true);
    expect(ackBodySchema.safeParse({}).success).toBe(false);
    expect(ackBodySchema.safeParse({ ids: ["1-0"], filter: {} }).success).toBe(false);
  });

  it("reject bad ids, too many ids, an empty list and unknown keys", () => {
    expect(ackBodySchema.safeParse({ ids: ["abc"] }).success).toBe(false);
    expect(ackBodySchema.safeParse({ ids: ["1-2-3"] }).success).toBe(false);
    expect(ackBodySchema.safeParse({ ids: ["18446744073709551616-0"] }).success).toBe(false);
    expect(ackBodySchema.safeParse({ ids: [] }).success).toBe(false);
    const many = Array.from({ length: MAX_IDS_PER_REQUEST + 1 }, (_, i) => `${i + 1}-0`);
    expect(ackBodySchema.safeParse({ ids: many }).success).toBe(false);
    expect(ackBodySchema.safeParse({ ids: many.slice(1) }).success).toBe(true);
    expect(ackBodySchema.safeParse({ ids: ["1-0"], force: true }).success).toBe(false);
    expect(ackBodySchema.safeParse({ filter: { minIdleMs: -1 } }).success).toBe(false);
    expect(ackBodySchema.safeParse({ filter: { minId: "x" } }).success).toBe(false);
  });

  it("claim needs a consumer and a min idle; requeue takes allGroups", () => {
    expect(claimBodySchema.safeParse({ ids: ["1-0"], consumer: "w", minIdleMs: 0 }).success).toBe(true);
    expect(claimBodySchema.safeParse({ ids: ["1-0"], minIdleMs: 0 }).success).toBe(false);
    expect(claimBodySchema.safeParse({ ids: ["1-0"], consumer: "w" }).success).toBe(false);
    expect(requeueBodySchema.safeParse({ filter: { consumer: "w3" }, allGroups: true, dryRun: true }).success).toBe(
      true,
    );
  });

  it("pending query coerces numbers, caps count, accepts (id cursors", () => {
    expect(pendingQuerySchema.parse({ minIdleMs: "50", count: "10", start: "(5-1", withFields: "1" })).toEqual({
      minIdleMs: 50,
      count: 10,
      start: "(5-1",
      withFields: true,
    });
    expect(pendingQuerySchema.parse({}).count).toBe(100);
    expect(pendingQuerySchema.safeParse({ count: "1001" }).success).toBe(false);
    expect(pendingQuerySchema.safeParse({ start: "((5" }).success).toBe(false);
    expect(pendingQuerySchema.safeParse({ minIdleMs: "soon" }).success).toBe(false);
  });

  it("group create start ids and publish fields", () => {
    for (const startId of ["0", "$", "5-3", "7"])
      expect(createGroupBodySchema.safeParse({ name: "g", startId }).success).toBe(true);
    expect(createGroupBodySchema.safeParse({ name: "g", startId: ">" }).success).toBe(false);
    expect(
      publishBodySchema.safeParse({
        fields: [
          ["a", "1"],
          ["a", { base64: "/wA=" }],
        ],
      }).success,
    ).toBe(true);
    expect(publishBodySchema.safeParse({ fields: [] }).success).toBe(false);
    expect(publishBodySchema.safeParse({ fields: [["a"]] }).success).toBe(false);
  });

  it("pacePerSecond: background jobs only, an integer 1..1,000,000", () => {
    const paced = (pacePerSecond: unknown, more: object = { background: true }) =>
      ackBodySchema.safeParse({ filter: {}, ...more, pacePerSecond }).success;
    expect(paced(1)).toBe(true);
    expect(paced(1_000_000)).toBe(true);
    expect(paced(0)).toBe(false);
    expect(paced(1_000_001)).toBe(false);
    expect(paced(10.5)).toBe(false);
    expect(paced("100")).toBe(false);
    expect(paced(100, {})).toBe(false);
    expect(paced(100, { background: false })).toBe(false);
    const refused = ackBodySchema.safeParse({ filter: {}, pacePerSecond: 100 });
    expect(refused.error?.issues[0]?.message).toMatch(/background: true/);
    expect(paced(100, { background: true, dryRun: true })).toBe(true);
    const claim = { filter: {}, consumer: "c", minIdleMs: 0, pacePerSecond: 100 };
    expect(claimBodySchema.safeParse(claim).success).toBe(false);
    expect(claimBodySchema.safeParse({ ...claim, background: true }).success).toBe(true);
    expect(requeueBodySchema.safeParse({ filter: {}, pacePerSecond: 5 }).success).toBe(false);
    expect(deadLetterBodySchema.safeParse({ filter: {}, pacePerSecond: 5 }).success).toBe(false);
    expect(deadLetterBodySchema.safeParse({ filter: {}, pacePerSecond: 5, background: true }).success).toBe(true);
  });
});
