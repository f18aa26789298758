/**
 * The audit trail against a writer with Redis access and against anonymous floods: entries are
 * signed and verified when read; anonymous refusals live in a capped trail of their own; odd
 * bodies (deep nesting, dry runs) are audited for what they are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loginPOST } from "@/app/api/auth/login/route";
import { GET as auditGET } from "@/app/api/audit/route";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { auditKey, auditMaxLen, readAudit, recordAnonymousAudit, recordAudit } from "@/lib/audit/audit";
import { resetProcessState } from "@/lib/runtime/state";
import { hashPassword } from "@/lib/auth/password";
import { closeRedis } from "@/lib/redis/client";
import type { AuditEntry, AuditResponse } from "@/lib/contract/audit";
import { callRoute } from "../helpers/route";
import { auditEntry } from "../helpers/audit";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { sessionCookieHeader, TEST_SESSION_SECRET, useAppPrefix, useConfig } from "../helpers/auth";

const redis = testRedis();
const prefix = uniquePrefix("auditint");
const stream = `${prefix}orders`;
const ann = { cookie: sessionCookieHeader({ u: "ann", m: "password" }) };
const ada = { cookie: sessionCookieHeader({ u: "ada", m: "password" }) };
let authConfig: Record<string, unknown>;

const entry = auditEntry;

async function audit(query: Record<string, string | number> = {}): Promise<AuditEntry[]> {
  const res = await callRoute<AuditResponse>(auditGET as never, "/api/audit", {
    headers: ada,
    query: { limit: 1000, ...query },
  });
  expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(200);
  return res.body.entries;
}

/** Runs `n` calls of `fn`, `width` at a time. */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, j) => fn(i + j)));
  }
}

// A small retention keeps the test quick; the default is 100,000.
const AUDIT_MAXLEN = 5000;
const ANONYMOUS_AUDIT_MAXLEN = 1000;

beforeAll(async () => {
  process.env.AUDIT_MAXLEN = String(AUDIT_MAXLEN);
  resetProcessState();
  expect([auditMaxLen("main"), auditMaxLen("anonymous")]).toEqual([AUDIT_MAXLEN, ANONYMOUS_AUDIT_MAXLEN]);
  useAppPrefix(`${prefix}app:`);
  const hash = await hashPassword("pw");
  authConfig = {
    users: [
      { username: "ann", role: "operator", passwordHash: hash },
      { username: "ada", role: "admin", passwordHash: hash },
    ],
    sessionSecret: TEST_SESSION_SECRET,
  };
  useConfig({ auth: authConfig });
  for (let i = 1; i <= 5; i++) await redis.xadd(stream, `${i}-0`, "n", String(i));
  await redis.xgroup("CREATE", stream, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", 5, "STREAMS", stream, ">");
});

afterAll(async () => {
  delete process.env.AUDIT_MAXLEN;
  resetProcessState();
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("audit integrity", () => {
  it("signs every entry, and flags entries written into the trail by a Redis user as unverified", async () => {
    const ack = await callRoute(ackPOST as never, "/api/x", {
      params: { key: stream, group: "g" },
      body: { ids: ["1-0"] },
      headers: ann,
    });
    expect(ack.status).toBe(200);
    const [genuine] = await audit({ action: "pending.ack" });
    expect(genuine).toMatchObject({ who: "ann", touched: 1, verified: true });

    // What a Redis user with write access can do: add an admin action out of thin air, alter a
    // signed entry (keeping its signature), or sign with a key of their own.
    const [, fields] = ((await redis.xrevrange(auditKey(), "+", "-", "COUNT", 1)) as [string, string[]][])[0]!;
    const signed = JSON.parse(fields[1]!) as AuditEntry;
    expect(fields[2]).toBe("m");
    await redis.xadd(auditKey(), "*", "e", JSON.stringify(entry({ who: "forged-1", action: "settings.update" })));
    await redis.xadd(auditKey(), "*", "e", JSON.stringify({ ...signed, who: "forged-2", touched: 0 }), "m", fields[3]!);
    await redis.xadd(auditKey(), "*", "e", JSON.stringify(entry({ who: "forged-3", verified: true })), "m", "AAAA");
    await redis.xadd(auditKey(), "*", "e", JSON.stringify({ who: { $gt: "" }, verified: true }), "m", "");
    await redis.xadd(auditKey(), "*", "e", "not json");

    const entries = await audit();
    const byWho = (who: string) => entries.find((e) => e.who === who);
    for (const who of ["forged-1", "forged-2", "forged-3"]) expect(byWho(who), who).toMatchObject({ verified: false });
    expect(entries.filter((e) => e.verified === false)).toHaveLength(4);
    expect(entries.find((e) => e.id === genuine!.id)).toMatchObject({ who: "ann", verified: true });
    // An odd shape is shown as unverified text, never trusted or crashing a filter.
    expect(entries.find((e) => e.who === "")).toMatchObject({ verified: false, result: "error" });
    expect((await audit({ actor: "forged" })).map((e) => e.who)).toEqual(["forged-3", "forged-2", "forged-1"]);

    // Another key (another session secret, or a random one from before a restart) cannot vouch either.
    useConfig({ auth: { ...authConfig, sessionSecret: "another-session-secret-0123456789abcdef" } });
    try {
      expect((await readAudit(redis, { actor: "ann", action: "pending.ack" })).entries[0]).toMatchObject({
        who: "ann",
        verified: false,
      });
    } finally {
      useConfig({ auth: authConfig });
    }
  });

  it("keeps every authenticated entry of a full trail through 2,000 failed logins, and shows the refusals in the anonymous trail", async () => {
    // Fill the trail to its retention with genuine entries.
    await inParallel(AUDIT_MAXLEN - (await redis.xlen(auditKey())), 5000, (i) =>
      recordAudit(entry({ who: "filler", touched: i })),
    );
    expect(await redis.xlen(auditKey())).toBe(AUDIT_MAXLEN);
    const [oldest] = ((await redis.xrange(auditKey(), "-", "+", "COUNT", 1)) as [string, string[]][])[0]!;

    const started = Date.now();
    const statuses = new Map<number, number>();
    await inParallel(2000, 20, async (i) => {
      const res = await callRoute(loginPOST as never, "/api/auth/login", {
        body: { username: i % 2 ? "ada" : "ann", password: `guess-${i}` },
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    });
    await inParallel(200, 20, () =>
      callRoute(ackPOST as never, "/api/x", { params: { key: stream, group: "g" }, body: { ids: ["2-0"] } }),
    );
    const floodMs = Date.now() - started;
    expect([...statuses.keys()].every((s) => s === 401 || s === 429)).toBe(true);

    expect(await redis.xlen(auditKey())).toBe(AUDIT_MAXLEN);
    expect(((await redis.xrange(auditKey(), "-", "+", "COUNT", 1)) as [string, string[]][])[0]![0]).toBe(oldest);
    expect((await readAudit(redis, { actor: "filler", limit: 1 })).entries[0]).toMatchObject({ verified: true });

    const anonymous = await redis.xlen(auditKey("anonymous"));
    expect(anonymous).toBeGreaterThanOrEqual(ANONYMOUS_AUDIT_MAXLEN);
    expect(anonymous).toBeLessThanOrEqual(ANONYMOUS_AUDIT_MAXLEN + 100);
    const logins = await audit({ trail: "anonymous", action: "login", limit: 10 });
    expect(logins).toHaveLength(10);
    for (const e of logins) expect(e).toMatchObject({ result: "denied", role: null, verified: true });
    const refusals = await audit({ trail: "anonymous", action: "pending.ack", limit: 10 });
    expect(refusals[0]).toMatchObject({ who: "anonymous", status: 401, verified: true });
    expect(await audit({ action: "login", result: "denied" })).toEqual([]);
    console.log(
      `2,000 failed logins + 200 anonymous refusals: ${floodMs} ms, statuses ${JSON.stringify([...statuses])}`,
    );
  }, 180_000);

  it("caps the anonymous trail", async () => {
    await inParallel(ANONYMOUS_AUDIT_MAXLEN * 3, 1000, () =>
      recordAnonymousAudit(entry({ who: "anonymous", role: null, result: "denied", status: 401 })),
    );
    const len = await redis.xlen(auditKey("anonymous"));
    expect(len).toBeGreaterThanOrEqual(ANONYMOUS_AUDIT_MAXLEN);
    // MAXLEN ~ trims whole nodes of 100 entries.
    expect(len).toBeLessThanOrEqual(ANONYMOUS_AUDIT_MAXLEN + 100);
    expect(await redis.xlen(auditKey())).toBe(AUDIT_MAXLEN);
  });
});

describe("odd request bodies", () => {
  it("answers a deeply nested body with 400 and audits it", async () => {
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    for (const rawBody of [`{"ids":${deep(100_000)}}`, `{"filter":${deep(100_000)}}`, "[".repeat(100_000)]) {
      const res = await callRoute<{ error: { code: string; message: string } }>(ackPOST as never, "/api/x", {
        params: { key: stream, group: "g" },
        rawBody,
        headers: ann,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringMatching(/nested deeper than \d+ levels/),
      });
    }
    const refused = (await readAudit(redis, { action: "pending.ack", limit: 3 })).entries;
    expect(refused).toHaveLength(3);
    for (const e of refused)
      expect(e).toMatchObject({
        who: "ann",
        result: "error",
        status: 400,
        reason: "BAD_REQUEST",
        touched: 0,
        verified: true,
      });
    // Ordinary nesting still passes.
    const ok = await callRoute(ackPOST as never, "/api/x", {
      params: { key: stream, group: "g" },
      body: { filter: { consumer: "nobody" } },
      headers: ann,
    });
    expect(ok.status).toBe(200);
  });

  it("marks a dry run in the audit entry and counts nothing touched", async () => {
    for (const body of [
      { ids: ["3-0", "4-0"], dryRun: true },
      { filter: {}, dryRun: true },
    ]) {
      const res = await callRoute<{ dryRun: boolean; matched: number }>(ackPOST as never, "/api/x", {
        params: { key: stream, group: "g" },
        body,
        headers: ann,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ dryRun: true });
      expect(res.body.matched).toBeGreaterThan(0);
      const [e] = (await readAudit(redis, { action: "pending.ack", limit: 1 })).entries;
      expect(e).toMatchObject({ who: "ann", dryRun: true, touched: 0, result: "ok", verified: true });
    }
    expect(((await redis.xpending(stream, "g")) as unknown[])[0]).toBe(4);
    const real = await callRoute(ackPOST as never, "/api/x", {
      params: { key: stream, group: "g" },
      body: { ids: ["3-0"] },
      headers: ann,
    });
    expect(real.status).toBe(200);
    const [e] = (await readAudit(redis, { action: "pending.ack", limit: 1 })).entries;
    expect(e).toMatchObject({ touched: 1 });
    expect(e).not.toHaveProperty("dryRun");
  });
});
