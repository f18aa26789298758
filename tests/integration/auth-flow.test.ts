import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loginPOST } from "@/app/api/auth/login/route";
import { POST as logoutPOST } from "@/app/api/auth/logout/route";
import { GET as meGET } from "@/app/api/auth/me/route";
import { GET as auditGET } from "@/app/api/audit/route";
import { apiRoute } from "@/lib/http/route";
import { hashPassword } from "@/lib/auth/password";
import { hashToken } from "@/lib/auth/token-hash";
import { streamScopeFilter } from "@/lib/auth/scope";
import { requestedHostname, startupProblem } from "@/lib/auth/startup-check";
import { auditKey, readAudit, recordAudit } from "@/lib/audit/audit";
import { MAX_FAILS_PER_IP_USER } from "@/lib/auth/rate-limit";
import { closeRedis, getRedis } from "@/lib/redis/client";
import type { AuditResponse } from "@/lib/contract/audit";
import type { MeResponse } from "@/lib/contract/auth";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import {
  CROSS_ORIGIN,
  fromAddress,
  SAME_ORIGIN,
  sessionCookieHeader,
  TEST_SESSION_SECRET,
  useAppPrefix,
  useConfig,
} from "../helpers/auth";

const redis = testRedis();
const prefix = uniquePrefix("authflow");
const PROXY_SECRET = "proxy-secret-0123456789abcdef0123456789";
const METRICS = "metrics-token-0123456789abcdef0123456789";
let authConfig: Record<string, unknown>;

// A stand-in mutation route.
const ackRoute = apiRoute({ permission: "operate", action: "ack" }, async () => ({ acked: 3, items: [] }));
const failingRoute = apiRoute({ permission: "operate", action: "claim" }, async () => {
  throw new Error("boom");
});
const metricsRoute = apiRoute({ permission: "read", metricsToken: true }, async (req) => ({
  visible: ["a:1", "b:1"].filter(await streamScopeFilter(req)),
}));

beforeAll(async () => {
  useAppPrefix(`${prefix}app:`);
  authConfig = {
    users: [
      { username: "ann", role: "operator", passwordHash: await hashPassword("s3cret!") },
      { username: "ada", role: "admin", passwordHash: await hashPassword("adm1n"), streams: ["a:*"] },
    ],
    tokens: [
      { name: "ci", role: "viewer", tokenHash: hashToken("ci-token-0123456789abcdef0123456789"), streams: "b:*" },
    ],
    trustedProxy: {
      secretHeader: "x-proxy-secret",
      secret: PROXY_SECRET,
      roles: { oncall: "operator", leads: "admin" },
    },
    metricsToken: METRICS,
    sessionSecret: TEST_SESSION_SECRET,
  };
  useConfig({ auth: authConfig });
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

function setCookieOf(headers: Headers): string {
  return headers.get("set-cookie") ?? "";
}

describe("password login", () => {
  it("sets a signed HttpOnly SameSite=Strict cookie that /api/auth/me accepts, and logout clears it", async () => {
    const res = await callRoute<{ user: string; role: string }>(loginPOST as never, "/api/auth/login", {
      body: { username: "ann", password: "s3cret!" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: "ann", role: "operator" });
    const cookie = setCookieOf(res.headers);
    expect(cookie).toMatch(/^streamscope_session=[^;]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const value = cookie.split(";")[0]!;

    const me = await callRoute<MeResponse>(meGET as never, "/api/auth/me", { headers: { cookie: value } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: "ann",
      role: "operator",
      method: "password",
      localMode: false,
      canOperate: true,
      canAdmin: false,
    });

    const out = await callRoute(logoutPOST as never, "/api/auth/logout", { body: {}, headers: { cookie: value } });
    expect(out.status).toBe(200);
    expect(setCookieOf(out.headers)).toContain("Max-Age=0");
  });

  it("marks the cookie Secure behind https", async () => {
    const res = await callRoute(loginPOST as never, "/api/auth/login", {
      body: { username: "ann", password: "s3cret!" },
      headers: { "x-forwarded-proto": "https" },
    });
    expect(setCookieOf(res.headers)).toContain("; Secure");
  });

  it("refuses a wrong password with 401 and a cross-origin login with 403", async () => {
    expect(
      (await callRoute(loginPOST as never, "/api/auth/login", { body: { username: "ann", password: "nope" } })).status,
    ).toBe(401);
    expect(
      (await callRoute(loginPOST as never, "/api/auth/login", { body: { username: "ghost", password: "nope" } }))
        .status,
    ).toBe(401);
    const cross = await callRoute(loginPOST as never, "/api/auth/login", {
      body: { username: "ann", password: "s3cret!" },
      headers: CROSS_ORIGIN,
    });
    expect(cross.status).toBe(403);
  });

  it("rate-limits failed logins per IP and username, in Redis", async () => {
    const headers = fromAddress("203.0.113.9");
    for (let i = 0; i < MAX_FAILS_PER_IP_USER; i++) {
      const r = await callRoute(loginPOST as never, "/api/auth/login", {
        body: { username: "ada", password: `bad${i}` },
        headers,
      });
      expect(r.status).toBe(401);
    }
    const blocked = await callRoute(loginPOST as never, "/api/auth/login", {
      body: { username: "ada", password: "adm1n" },
      headers,
    });
    expect(blocked.status).toBe(429);
    // Another address is not blocked.
    const other = await callRoute(loginPOST as never, "/api/auth/login", {
      body: { username: "ada", password: "adm1n" },
      headers: fromAddress("203.0.113.10"),
    });
    expect(other.status).toBe(200);
    const [, keys] = await redis.scan("0", "MATCH", `${prefix}app:login-fails:*`, "COUNT", 1000);
    expect(keys.length).toBeGreaterThan(0);
  });

  it("ends a session when the user is removed from the config", async () => {
    const cookie = sessionCookieHeader({ u: "gone", m: "password" });
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie } })).status).toBe(401);
    const forged = sessionCookieHeader({ u: "ann", m: "password" }, "another-secret-0123456789abcdef0123456789");
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie: forged } })).status).toBe(401);
  });
});

describe("trusted proxy header", () => {
  it("accepts the user only with the shared secret, with the role of the highest mapped group", async () => {
    const ok = await callRoute<MeResponse>(meGET as never, "/api/auth/me", {
      headers: { "x-forwarded-user": "pat", "x-forwarded-groups": "oncall, leads", "x-proxy-secret": PROXY_SECRET },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ user: "pat", role: "admin", method: "proxy" });
    const noSecret = await callRoute(meGET as never, "/api/auth/me", {
      headers: { "x-forwarded-user": "pat", "x-forwarded-groups": "leads" },
    });
    expect(noSecret.status).toBe(401);
    const badSecret = await callRoute(meGET as never, "/api/auth/me", {
      headers: { "x-forwarded-user": "pat", "x-forwarded-groups": "leads", "x-proxy-secret": "wrong" },
    });
    expect(badSecret.status).toBe(401);
    const noRole = await callRoute(meGET as never, "/api/auth/me", {
      headers: { "x-forwarded-user": "pat", "x-forwarded-groups": "interns", "x-proxy-secret": PROXY_SECRET },
    });
    expect(noRole.status).toBe(401);
  });
});

describe("metrics token and scope filter", () => {
  it("accepts auth.metricsToken only on routes that ask for it", async () => {
    const res = await callRoute<{ visible: string[] }>(metricsRoute as never, "/api/metrics", {
      headers: { authorization: `Bearer ${METRICS}` },
    });
    expect(res.status).toBe(200);
    expect(res.body.visible).toEqual(["a:1", "b:1"]);
    expect(
      (await callRoute(meGET as never, "/api/auth/me", { headers: { authorization: `Bearer ${METRICS}` } })).status,
    ).toBe(401);
  });

  it("filters listed keys to the caller's stream scope", async () => {
    const token = await callRoute<{ visible: string[] }>(metricsRoute as never, "/api/metrics", {
      headers: { authorization: "Bearer ci-token-0123456789abcdef0123456789" },
    });
    expect(token.body.visible).toEqual(["b:1"]);
    const ada = await callRoute<{ visible: string[] }>(metricsRoute as never, "/api/metrics", {
      headers: { cookie: sessionCookieHeader({ u: "ada", m: "password" }) },
    });
    expect(ada.body.visible).toEqual(["a:1"]);
  });
});

describe("audit trail", () => {
  const ann = { cookie: sessionCookieHeader({ u: "ann", m: "password" }) };
  const ada = { cookie: sessionCookieHeader({ u: "ada", m: "password" }) };

  it("records mutations with who, target, count and result, and refusals", async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `${i + 1}-0`);
    const ok = await callRoute(ackRoute as never, "/api/streams/a%3A1/groups/g/ack", {
      params: { key: "a:1", group: "g" },
      body: { ids },
      headers: { ...ann, "user-agent": "vitest-agent", "x-forwarded-for": "10.0.0.1", ...fromAddress("198.51.100.7") },
    });
    expect(ok.status).toBe(200);
    const denied = await callRoute(ackRoute as never, "/api/x", {
      params: { key: "a:1", group: "g" },
      body: { filter: { consumer: "c" } },
      headers: { ...ann, ...CROSS_ORIGIN },
    });
    expect(denied.status).toBe(403);
    const anon = await callRoute(ackRoute as never, "/api/x", { params: { key: "a:1" }, body: {} });
    expect(anon.status).toBe(401);
    const failed = await callRoute(failingRoute as never, "/api/x", { params: { key: "a:1" }, body: {}, headers: ann });
    expect(failed.status).toBe(500);

    const { entries } = await readAudit(getRedis(), { limit: 10 });
    const [e4, e2, e1] = entries;
    const [e3] = (await readAudit(getRedis(), { trail: "anonymous", limit: 1 })).entries;
    expect(e1).toMatchObject({
      who: "ann",
      role: "operator",
      method: "password",
      ip: "198.51.100.7",
      userAgent: "vitest-agent",
      action: "ack",
      stream: "a:1",
      group: "g",
      idCount: 30,
      touched: 3,
      result: "ok",
      status: 200,
    });
    expect(e1!.ids).toHaveLength(20);
    expect(e2).toMatchObject({ who: "ann", action: "ack", result: "denied", status: 403, filter: '{"consumer":"c"}' });
    expect(e3).toMatchObject({ who: "anonymous", role: null, result: "denied", status: 401 });
    expect(e4).toMatchObject({ who: "ann", action: "claim", result: "error", status: 500 });
  });

  it("caps the stream and serves GET /api/audit to admins with filters and paging", async () => {
    for (let i = 0; i < 5; i++)
      await recordAudit({
        time: Date.now(),
        who: "worker",
        role: null,
        method: "worker",
        ip: "",
        userAgent: "",
        action: "reclaim",
        touched: i,
        result: "ok",
        status: 200,
      });
    const info = (await redis.call("XINFO", "STREAM", auditKey())) as unknown[];
    expect(info.length).toBeGreaterThan(0);

    expect((await callRoute(auditGET as never, "/api/audit", { headers: ann })).status).toBe(403);
    // The audit trail covers every stream: an admin scoped to some streams is refused too.
    expect((await callRoute(auditGET as never, "/api/audit", { headers: ada })).status).toBe(403);
    const lead = { "x-forwarded-user": "lee", "x-forwarded-groups": "leads", "x-proxy-secret": PROXY_SECRET };
    const page1 = await callRoute<AuditResponse>(auditGET as never, "/api/audit", {
      headers: lead,
      query: { actor: "worker", limit: 3 },
    });
    expect(page1.status).toBe(200);
    expect(page1.body.entries.map((e) => e.touched)).toEqual([4, 3, 2]);
    expect(page1.body.next).not.toBeNull();
    const page2 = await callRoute<AuditResponse>(auditGET as never, "/api/audit", {
      headers: lead,
      query: { actor: "worker", limit: 3, cursor: page1.body.next! },
    });
    expect(page2.body.entries.map((e) => e.touched)).toEqual([1, 0]);
    expect(page2.body.next).toBeNull();

    const denied = await callRoute<AuditResponse>(auditGET as never, "/api/audit", {
      headers: lead,
      query: { result: "denied" },
    });
    expect(denied.body.entries.every((e) => e.result === "denied")).toBe(true);
    expect(denied.body.entries.length).toBeGreaterThanOrEqual(1);
    const anonymous = await callRoute<AuditResponse>(auditGET as never, "/api/audit", {
      headers: lead,
      query: { trail: "anonymous", result: "denied" },
    });
    expect(anonymous.body.entries.length).toBeGreaterThanOrEqual(1);
    expect(anonymous.body.entries.every((e) => e.role === null && e.result === "denied")).toBe(true);
    const future = await callRoute<AuditResponse>(auditGET as never, "/api/audit", {
      headers: lead,
      query: { from: Date.now() + 60_000 },
    });
    expect(future.body.entries).toEqual([]);
    expect(
      (await callRoute(auditGET as never, "/api/audit", { headers: lead, query: { cursor: "junk" } })).status,
    ).toBe(400);
  });

  it("records logins", async () => {
    const { entries } = await readAudit(getRedis(), { action: "login", limit: 50 });
    expect(entries.some((e) => e.who === "ann" && e.result === "ok" && e.verified)).toBe(true);
    const failed = await readAudit(getRedis(), { trail: "anonymous", action: "login", limit: 50 });
    expect(failed.entries.some((e) => e.who === "ghost" && e.result === "denied" && e.verified)).toBe(true);
    expect(entries.some((e) => e.result === "denied")).toBe(false);
  });
});

describe("same-origin header variants", () => {
  it("accepts Sec-Fetch-Site same-origin without Origin, refuses same-site", async () => {
    const cookie = sessionCookieHeader({ u: "ann", m: "password" });
    const a = await callRoute(ackRoute as never, "/api/x", {
      body: {},
      headers: { cookie, origin: "", "sec-fetch-site": "same-origin" },
    });
    expect(a.status).toBe(200);
    const b = await callRoute(ackRoute as never, "/api/x", {
      body: {},
      headers: { cookie, ...SAME_ORIGIN, "sec-fetch-site": "same-site" },
    });
    expect(b.status).toBe(403);
    const bearer = await callRoute(meGET as never, "/api/auth/me", {
      headers: { authorization: "Bearer ci-token-0123456789abcdef0123456789", ...CROSS_ORIGIN },
    });
    expect(bearer.status).toBe(200);
  });
});

describe("startup check", () => {
  it("refuses a non-loopback address without auth, and allows it with auth", () => {
    expect(startupProblem("0.0.0.0")).toBeNull();
    useConfig({});
    expect(startupProblem("0.0.0.0")).toMatch(/auth\.users/);
    expect(startupProblem("127.0.0.1")).toBeNull();
    expect(startupProblem("::1")).toBeNull();
    expect(startupProblem("localhost")).toBeNull();
    useConfig({ auth: authConfig });
  });

  it("reads the address from next's -H flag before HOSTNAME", () => {
    expect(requestedHostname(["node", "next", "start", "-p", "3000", "-H", "0.0.0.0"], { HOSTNAME: "127.0.0.1" })).toBe(
      "0.0.0.0",
    );
    expect(requestedHostname(["node", "next", "start", "--hostname=10.0.0.2"], {})).toBe("10.0.0.2");
    expect(requestedHostname(["node", "next", "start"], { HOSTNAME: "box" })).toBe("box");
  });
});

describe("stream scope on streams named in the body", () => {
  const ada = { cookie: sessionCookieHeader({ u: "ada", m: "password" }) };
  const tag = Math.random().toString(36).slice(2, 8);

  afterAll(async () => {
    await cleanPrefix(redis, `a:${tag}:`);
    await cleanPrefix(redis, `b:${tag}:`);
  });

  it("refuses a dead-letter target or a redrive origin outside the caller's streams, and moves nothing", async () => {
    const { POST: deadLetterPOST } = await import("@/app/api/streams/[key]/groups/[group]/dead-letter/route");
    const { POST: redrivePOST } = await import("@/app/api/streams/[key]/redrive/route");
    const src = `a:${tag}:src`;
    await redis.xadd(src, "1-0", "f", "v");
    await redis.xgroup("CREATE", src, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", src, ">");
    const params = { key: src, group: "g" };

    const outside = await callRoute(deadLetterPOST as never, "/api/x", {
      params,
      body: { ids: ["1-0"], target: `b:${tag}:dlq` },
      headers: ada,
    });
    expect(outside.status).toBe(403);
    expect(await redis.exists(`b:${tag}:dlq`)).toBe(0);
    expect(((await redis.xpending(src, "g")) as unknown[])[0]).toBe(1);

    const inside = await callRoute<{ moved: number }>(deadLetterPOST as never, "/api/x", {
      params,
      body: { ids: ["1-0"], target: `a:${tag}:dlq` },
      headers: ada,
    });
    expect(inside.status).toBe(200);
    expect(inside.body.moved).toBe(1);

    const dlq = `a:${tag}:dlq2`;
    const id = await redis.xadd(dlq, "*", "f", "v", "streamscope-origin-stream", `b:${tag}:orig`);
    const redrive = await callRoute(redrivePOST as never, "/api/x", {
      params: { key: dlq },
      body: { ids: [id] },
      headers: ada,
    });
    expect(redrive.status).toBe(403);
    expect(await redis.xlen(dlq)).toBe(1);
    expect(await redis.exists(`b:${tag}:orig`)).toBe(0);
  });
});
