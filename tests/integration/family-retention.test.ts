/**
 * The retention check of a family: a member without TTL, one that expires in 10 s with messages
 * its group has not finished, and members that are fine, each named for what it is; a configured
 * family tells producer-created members from the ones rotation leaves without TTL; bad input.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { GET as retentionGET } from "@/app/api/families/[pattern]/retention/route";
import type { FamilyRetentionResponse } from "@/lib/contract/families";
import { resetProcessState } from "@/lib/runtime/state";
import { hashToken } from "@/lib/auth/token-hash";
import { TEST_SESSION_SECRET, useConfig } from "../helpers/auth";
import { callRoute } from "../helpers/route";
import { privateRedis, uniquePrefix } from "../helpers/redis";

const own = privateRedis();
const redis = () => own.raw();
const prefix = uniquePrefix("retention");
const pattern = `${prefix}orders_<yyyyMMddHH>`;
const member = (hour: string) => `${prefix}orders_20261125${hour}`;
type Handler = Parameters<typeof callRoute>[0];

beforeEach(() => {
  useConfig({});
});

async function retention(p: string, headers: Record<string, string> = {}) {
  // A fresh stream index: its first pass finds the members just written.
  resetProcessState();
  return callRoute<FamilyRetentionResponse>(retentionGET as Handler, "/x", { params: { pattern: p }, headers });
}

async function seed(key: string, entries: number) {
  const pipe = redis().pipeline();
  for (let i = 1; i <= entries; i++) pipe.xadd(key, `${i}-0`, "n", String(i));
  await pipe.exec();
}

describe("family retention", () => {
  it("names the member without TTL, the one that expires with unprocessed messages, and the fine ones", async () => {
    // 00: a producer created it (XGROUP CREATE ... MKSTREAM never sets a TTL); 3 entries nobody read.
    await redis().xgroup("CREATE", member("00"), "g", "0", "MKSTREAM");
    await seed(member("00"), 3);
    // 01: expires in 10 s; 5 entries, 2 delivered and not acked, 3 not delivered.
    await seed(member("01"), 5);
    await redis().xgroup("CREATE", member("01"), "g", "0");
    await redis().xreadgroup("GROUP", "g", "c", "COUNT", 2, "STREAMS", member("01"), ">");
    await redis().pexpire(member("01"), 10_000);
    // 02: expires in an hour, everything read and acked.
    await seed(member("02"), 4);
    await redis().xgroup("CREATE", member("02"), "g", "0");
    await redis().xreadgroup("GROUP", "g", "c", "COUNT", 10, "STREAMS", member("02"), ">");
    await redis().xack(member("02"), "g", "1-0", "2-0", "3-0", "4-0");
    await redis().pexpire(member("02"), 3600_000);
    // 03: expires in an hour, no groups: nothing to process.
    await seed(member("03"), 2);
    await redis().pexpire(member("03"), 3600_000);
    // Not a member: another family, and a key whose date is no real hour.
    await seed(`${prefix}payments_2026112500`, 1);
    await seed(`${prefix}orders_2026112599`, 1);

    const { status, body } = await retention(pattern);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ pattern, configured: false, ttlSeconds: null, memberCount: 4, capped: false });
    expect(body.members.map((m) => m.key)).toEqual([member("03"), member("02"), member("01"), member("00")]);
    const by = Object.fromEntries(body.members.map((m) => [m.key, m]));
    expect(by[member("00")]).toMatchObject({
      ttlMs: null,
      noTtl: true,
      atRisk: false,
      producerCreated: true,
      unprocessed: 3,
      pending: 0,
      length: 3,
      groups: 1,
    });
    expect(by[member("01")]).toMatchObject({
      noTtl: false,
      atRisk: true,
      producerCreated: false,
      unprocessed: 5,
      pending: 2,
    });
    expect(by[member("01")]!.ttlMs).toBeGreaterThan(0);
    expect(by[member("01")]!.ttlMs).toBeLessThanOrEqual(10_000);
    for (const fine of [member("02"), member("03")]) {
      expect(by[fine]).toMatchObject({ noTtl: false, atRisk: false, producerCreated: false, unprocessed: 0 });
      expect(by[fine]!.ttlMs).toBeGreaterThan(3500_000);
    }
    for (const m of body.members) expect(m.memoryBytes).toBeGreaterThan(0);
    expect(body.memoryBytes).toBe(body.members.reduce((s, m) => s + m.memoryBytes!, 0));
  });

  it("in a configured family, a member without TTL is a producer's only when rotation would have set one", async () => {
    useConfig({ families: [{ name: "orders", pattern, ttlSeconds: 7200, groups: ["g"] }] });
    const withTtl = await retention(pattern);
    expect(withTtl.status).toBe(200);
    expect(withTtl.body).toMatchObject({ configured: true, ttlSeconds: 7200 });
    expect(withTtl.body.members.find((m) => m.key === member("00"))).toMatchObject({ producerCreated: true });

    useConfig({ families: [{ name: "orders", pattern, groups: ["g"] }] });
    const noTtl = await retention(pattern);
    expect(noTtl.body).toMatchObject({ configured: true, ttlSeconds: null });
    expect(noTtl.body.members.find((m) => m.key === member("00"))).toMatchObject({
      noTtl: true,
      producerCreated: false,
    });
  });

  it("answers 404 for a family without members and 400 for a pattern without a date placeholder", async () => {
    const none = await retention(`${prefix}nothing_<yyyyMMdd>`);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: { code: "NOT_FOUND" } });
    const bad = await retention(`${prefix}orders_2026112500`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("a caller scoped to some members sees only those; scoped to none, the family is not found", async () => {
    const token = "retention-scoped-token-0123456789";
    const other = "retention-other-token-0123456789";
    useConfig({
      auth: {
        tokens: [
          { name: "s", role: "viewer", tokenHash: hashToken(token), streams: `${prefix}orders_2026112500` },
          { name: "o", role: "viewer", tokenHash: hashToken(other), streams: "elsewhere:*" },
        ],
        sessionSecret: TEST_SESSION_SECRET,
      },
    });
    const scoped = await retention(pattern, { authorization: `Bearer ${token}` });
    expect(scoped.status).toBe(200);
    expect(scoped.body.members.map((m) => m.key)).toEqual([member("00")]);
    expect(scoped.body.memberCount).toBe(1);
    const elsewhere = await retention(pattern, { authorization: `Bearer ${other}` });
    expect(elsewhere.status).toBe(404);
  });
});
