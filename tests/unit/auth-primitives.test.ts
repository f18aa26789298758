import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword, parseScryptHash } from "@/lib/auth/password";
import { generateToken, hashToken, isTokenHash, safeEqual } from "@/lib/auth/token-hash";
import { readCookie, serializeCookie, signValue, verifyValue } from "@/lib/auth/session";
import { highestRole, permissionAllowedInMode, roleAllows } from "@/lib/auth/roles";
import { canSeeStream } from "@/lib/auth/scope";
import { hostAllowed, isLoopbackHostname, sameOrigin } from "@/lib/auth/request-checks";
import { rolesFromClaims } from "@/lib/auth/oidc";
import { safeNextPath } from "@/lib/auth/next-path";
import { targetsFromBody, touchedFromResult } from "@/lib/http/audit-fields";
import { pageCsp } from "@/lib/auth/csp";
import { resolveAuth } from "@/lib/auth/config";
import { auditFiltersToQuery, describeTargets, EMPTY_FILTERS } from "@/components/audit/audit-filters";

const key = Buffer.from("k".repeat(32));

function req(headers: Record<string, string>, method = "POST") {
  return new Request("http://127.0.0.1:3000/api/x", { method, headers });
}

describe("password hashes", () => {
  it("verifies the right password only, with a random salt each time", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsf", a)).toBe(false);
    expect(await verifyPassword("x", "plain")).toBe(false);
    expect(parseScryptHash("$scrypt$ln=30,r=8,p=1$AAAA$AAAA")).toBeNull();
  });
});

describe("tokens", () => {
  it("hashes with SHA-256 and compares in constant time", () => {
    const t = generateToken();
    expect(t.length).toBeGreaterThan(40);
    expect(isTokenHash(hashToken(t))).toBe(true);
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});

describe("signed values", () => {
  it("round-trips and rejects tampering, another purpose and expiry", () => {
    const v = signValue(key, "session", { u: "ann", m: "password", exp: Math.floor(Date.now() / 1000) + 60 });
    expect(verifyValue<{ u: string; exp: number }>(key, "session", v)?.u).toBe("ann");
    expect(verifyValue(key, "oidc-txn", v)).toBeNull();
    expect(verifyValue(Buffer.from("j".repeat(32)), "session", v)).toBeNull();
    const [data, mac] = v.split(".");
    const forged = Buffer.from(JSON.stringify({ u: "root", m: "password", exp: 9e9 })).toString("base64url");
    expect(verifyValue(key, "session", `${forged}.${mac}`)).toBeNull();
    expect(verifyValue(key, "session", `${data}.`)).toBeNull();
    const expired = signValue(key, "session", { u: "ann", exp: Math.floor(Date.now() / 1000) - 1 });
    expect(verifyValue(key, "session", expired)).toBeNull();
  });

  it("serializes HttpOnly SameSite cookies and reads them back", () => {
    const c = serializeCookie("s", "v1", { maxAgeSeconds: 60, secure: true, sameSite: "Strict" });
    expect(c).toBe("s=v1; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure");
    expect(readCookie(req({ cookie: "a=1; s=v1; b=2" }), "s")).toBe("v1");
    expect(readCookie(req({ cookie: "ss=v1" }), "s")).toBeUndefined();
  });
});

describe("roles and scope", () => {
  it("orders roles and honours read-only mode", () => {
    expect(roleAllows("viewer", "read")).toBe(true);
    expect(roleAllows("viewer", "operate")).toBe(false);
    expect(roleAllows("operator", "operate")).toBe(true);
    expect(roleAllows("operator", "admin")).toBe(false);
    expect(roleAllows("admin", "admin")).toBe(true);
    expect(highestRole(["viewer", "admin", "operator"])).toBe("admin");
    expect(highestRole([])).toBeNull();
    expect(permissionAllowedInMode("operate", true)).toBe(false);
    expect(permissionAllowedInMode("read", true)).toBe(true);
  });

  it("scopes streams by glob", () => {
    expect(canSeeStream({}, "anything")).toBe(true);
    expect(canSeeStream({ streams: ["orders_*", "billing"] }, "orders_2026")).toBe(true);
    expect(canSeeStream({ streams: ["orders_*", "billing"] }, "billing")).toBe(true);
    expect(canSeeStream({ streams: ["orders_*"] }, "payments")).toBe(false);
  });
});

describe("host and origin checks", () => {
  const auth = resolveAuth({ readOnly: false, publicUrl: "https://dash.example.com" });
  it("serves loopback names and the public URL's host only", () => {
    for (const host of ["127.0.0.1:3000", "localhost", "[::1]:8080", "dash.example.com"])
      expect(hostAllowed(req({ host }), auth)).toBe(true);
    for (const host of ["evil.example", "127.0.0.1.evil.example", "dash.example.com.evil"])
      expect(hostAllowed(req({ host }), auth)).toBe(false);
    expect(isLoopbackHostname("127.0.0.2")).toBe(true);
    expect(isLoopbackHostname("0.0.0.0")).toBe(false);
  });

  it("accepts same-origin and non-browser mutations, refuses cross-site ones", () => {
    expect(sameOrigin(req({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), auth)).toBe(true);
    expect(sameOrigin(req({ host: "127.0.0.1:3000", "sec-fetch-site": "same-origin" }), auth)).toBe(true);
    expect(sameOrigin(req({ host: "dash.example.com", origin: "https://dash.example.com" }), auth)).toBe(true);
    expect(sameOrigin(req({ host: "127.0.0.1:3000" }), auth)).toBe(true);
    expect(sameOrigin(req({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:4000" }), auth)).toBe(false);
    expect(sameOrigin(req({ host: "127.0.0.1:3000", origin: "null" }), auth)).toBe(false);
    expect(sameOrigin(req({ host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" }), auth)).toBe(false);
    expect(
      sameOrigin(req({ host: "127.0.0.1:3000", "sec-fetch-site": "same-site", origin: "http://127.0.0.1:3000" }), auth),
    ).toBe(false);
  });
});

describe("config resolution", () => {
  it("enables login as soon as any method is configured and resolves env references", async () => {
    expect(resolveAuth(undefined).enabled).toBe(false);
    expect(resolveAuth({ readOnly: false, metricsToken: "m" }).enabled).toBe(false);
    process.env.TEST_TOKEN_HASH = hashToken("t");
    const auth = resolveAuth({
      readOnly: false,
      tokens: [{ name: "ci", role: "viewer", tokenHash: "env:TEST_TOKEN_HASH", streams: "a*" }],
    });
    expect(auth.enabled).toBe(true);
    expect(auth.tokens[0]).toMatchObject({ tokenHash: hashToken("t"), streams: ["a*"] });
    expect(() => resolveAuth({ readOnly: false, metricsToken: "env:NOPE_NOT_SET" })).toThrow(/NOPE_NOT_SET/);
    expect(() =>
      resolveAuth({ readOnly: false, users: [{ username: "a", role: "admin", passwordHash: "plain" }] }),
    ).toThrow(/hash-secret/);
    expect(() =>
      resolveAuth({
        readOnly: false,
        trustedProxy: { userHeader: "x-forwarded-user", groupsHeader: "g", roles: {}, addresses: ["10.0.0.1"] },
      }),
    ).toThrow(/secret/);
    process.env.READ_ONLY = "1";
    expect(resolveAuth(undefined).readOnly).toBe(true);
    delete process.env.READ_ONLY;
  });
});

describe("OIDC helpers", () => {
  const oidc = { rolesClaim: "groups", roles: { oncall: "operator", leads: "admin" } as const, defaultRole: undefined };
  it("maps claims to the highest role, or none", () => {
    expect(rolesFromClaims({ groups: ["oncall", "leads"] }, oidc)).toBe("admin");
    expect(rolesFromClaims({ groups: "oncall" }, oidc)).toBe("operator");
    expect(rolesFromClaims({ groups: ["other"] }, oidc)).toBeNull();
    expect(rolesFromClaims({}, { ...oidc, defaultRole: "viewer" })).toBe("viewer");
  });
  it("only redirects to local paths after login", () => {
    expect(safeNextPath("/streams/a")).toBe("/streams/a");
    expect(safeNextPath("//evil.example")).toBe("/");
    expect(safeNextPath("/\\evil.example")).toBe("/");
    expect(safeNextPath("https://evil.example")).toBe("/");
    expect(safeNextPath(null)).toBe("/");
  });
  it("judges the path as the URL parser reads it (tabs and newlines dropped, backslash as slash)", () => {
    for (const evil of [
      "/\t/evil.example/x",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\t\\evil.example",
      "/.//evil.example",
      "\t//evil.example",
      "/%09/evil.example/x",
    ]) {
      const out = safeNextPath(evil);
      expect(new URL(out, "http://app.test/").origin, evil).toBe("http://app.test");
      expect(out.startsWith("//")).toBe(false);
    }
    expect(safeNextPath("/\t/evil.example/x")).toBe("/");
    expect(safeNextPath("/streams/a\tb?x=1#h")).toBe("/streams/ab?x=1#h");
    expect(safeNextPath("/streams/orders%3A1")).toBe("/streams/orders%3A1");
  });
});

describe("audit extraction", () => {
  it("sums the count fields of a result", () => {
    expect(touchedFromResult({ acked: 3 })).toBe(3);
    expect(touchedFromResult({ claimed: 2, deleted: 1, items: [] })).toBe(3);
    expect(touchedFromResult({ id: "1-0" })).toBeNull();
    expect(touchedFromResult(null)).toBeNull();
  });
  it("counts a reap's messages handed over or requeued, not the consumers it deleted", () => {
    expect(touchedFromResult({ policy: "hand-over", handedOver: 250, requeued: 0, deleted: 2 })).toBe(250);
    expect(touchedFromResult({ policy: "requeue", handedOver: 0, requeued: 3, deleted: 1 })).toBe(3);
    expect(touchedFromResult({ policy: "hand-over", handedOver: 0, requeued: 0, deleted: 30_000 })).toBe(0);
  });
  it("marks a dry run and counts nothing touched", () => {
    expect(touchedFromResult({ dryRun: true, matched: 3 })).toBe(0);
    expect(targetsFromBody({ ids: ["1-0"], dryRun: true })).toEqual({ ids: ["1-0"], idCount: 1, dryRun: true });
    expect(targetsFromBody({ ids: ["1-0"], dryRun: false })).not.toHaveProperty("dryRun");
  });
  it("keeps the first ids and the filter", () => {
    const ids = Array.from({ length: 50 }, (_, i) => `${i}-0`);
    expect(targetsFromBody({ ids })).toMatchObject({ idCount: 50, ids: ids.slice(0, 20) });
    expect(targetsFromBody({ filter: { consumer: "c" } })).toEqual({ filter: '{"consumer":"c"}' });
    expect(describeTargets({ ids: ["1-0", "2-0", "3-0", "4-0"], idCount: 4 })).toBe("1-0, 2-0, 3-0 (+1 more)");
  });
  it("names the policy a result followed, beside the request's filter", () => {
    expect(targetsFromBody({ idleMs: 1000 }, { policy: "requeue", deleted: 2 })).toEqual({
      filter: '{"policy":"requeue"}',
    });
    expect(targetsFromBody({ filter: { consumer: "c" } }, { policy: "hand-over" })).toEqual({
      filter: '{"policy":"hand-over","filter":{"consumer":"c"}}',
    });
    expect(targetsFromBody({ idleMs: 1000 }, { deleted: 2 })).toEqual({});
  });
  it("turns the filter form into a query", () => {
    expect(auditFiltersToQuery(EMPTY_FILTERS)).toEqual({});
    const q = auditFiltersToQuery({ ...EMPTY_FILTERS, actor: " ann ", result: "denied", from: "2026-01-01T00:00" });
    expect(q).toMatchObject({ actor: "ann", result: "denied" });
    expect(typeof q.from).toBe("number");
  });
});

describe("CSP", () => {
  it("allows scripts only by nonce and forbids framing", () => {
    const csp = pageCsp("abc", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});

describe("hiding controls by role", () => {
  it("allows what /api/auth/me says the caller can do", async () => {
    const { meAllows } = await import("@/lib/hooks/use-me");
    const base = {
      user: "u",
      role: "viewer" as const,
      method: "password",
      readOnly: false,
      localMode: false,
      streams: null,
    };
    expect(meAllows(undefined, "read")).toBe(false);
    expect(meAllows({ ...base, canOperate: false, canAdmin: false }, "read")).toBe(true);
    expect(meAllows({ ...base, canOperate: false, canAdmin: false }, "operate")).toBe(false);
    expect(meAllows({ ...base, role: "operator", canOperate: true, canAdmin: false }, "operate")).toBe(true);
    expect(meAllows({ ...base, role: "operator", canOperate: true, canAdmin: false }, "admin")).toBe(false);
  });
});
