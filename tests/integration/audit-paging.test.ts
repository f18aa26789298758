/**
 * Paging the audit trail (readAudit, through rangePages): newest first, every entry once by `next`,
 * `from`/`to` bounds, and a sparse filter that stops after 10,000 entries looked at and goes on
 * from its cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditKey, readAudit } from "@/lib/audit/audit";
import { resetProcessState } from "@/lib/runtime/state";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { useAppPrefix } from "../helpers/auth";
import { auditEntry } from "../helpers/audit";

const redis = testRedis();
const prefix = uniquePrefix("auditpage");
const ENTRIES = 12_000;

beforeAll(async () => {
  useAppPrefix(`${prefix}app:`);
  const pipe = redis.pipeline();
  // Entry i at time 1000 + i; the oldest is the only "needle".
  for (let i = 1; i <= ENTRIES; i++) {
    pipe.xadd(
      auditKey(),
      `${1000 + i}-0`,
      "e",
      JSON.stringify(auditEntry({ who: i === 1 ? "needle" : "hay", time: 1000 + i })),
    );
  }
  await pipe.exec();
});

afterAll(async () => {
  delete process.env.STREAMSCOPE_PREFIX;
  resetProcessState();
  await cleanPrefix(redis, prefix);
});

describe("readAudit paging", () => {
  it("hands out every entry once, newest first, by following next", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let calls = 0; calls < 20; calls++) {
      const page = await readAudit(redis, { limit: 1000, ...(cursor ? { cursor } : {}) });
      seen.push(...page.entries.map((e) => e.id!));
      if (page.next === null) break;
      cursor = page.next;
    }
    expect(seen).toHaveLength(ENTRIES);
    expect(seen[0]).toBe(`${1000 + ENTRIES}-0`);
    expect(seen[ENTRIES - 1]).toBe("1001-0");
    expect(new Set(seen).size).toBe(ENTRIES);
  });

  it("keeps to from and to", async () => {
    const page = await readAudit(redis, { from: 1100, to: 1104 });
    expect(page.entries.map((e) => e.id)).toEqual(["1104-0", "1103-0", "1102-0", "1101-0", "1100-0"]);
    expect(page.next).toBeNull();
  });

  it("stops a sparse filter after 10,000 entries looked at, and finds the rest from its cursor", async () => {
    const first = await readAudit(redis, { actor: "needle" });
    expect(first.entries).toEqual([]);
    expect(first.next).toBe(`${1000 + ENTRIES - 9_999}-0`);
    const second = await readAudit(redis, { actor: "needle", cursor: first.next! });
    expect(second.entries.map((e) => e.who)).toEqual(["needle"]);
    expect(second.next).toBeNull();
  });
});
