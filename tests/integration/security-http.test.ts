/**
 * Transport-level defences: oversized bodies, login rate limits on the socket address, slow token
 * hashes, revocable sessions, the JSON content type for header-less mutations, local mode on the
 * bound socket. Real routes against the test redis-server; a real Node HTTP server for the socket.
 */
import { createHash } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as loginPOST } from "@/app/api/auth/login/route";
import { POST as logoutPOST } from "@/app/api/auth/logout/route";
import { GET as meGET } from "@/app/api/auth/me/route";
import { GET as healthGET } from "@/app/api/health/route";
import { resetProcessState } from "@/lib/runtime/state";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { hashPassword } from "@/lib/auth/password";
import { hashToken } from "@/lib/auth/token-hash";
import { MAX_FAILS_PER_IP_USER, MAX_FAILS_PER_USER, MAX_SLOW_TOKEN_MISSES } from "@/lib/auth/rate-limit";
import { installSocketHook, PEER_HEADER } from "@/lib/auth/socket";
import { readAudit } from "@/lib/audit/audit";
import { MAX_BODY_BYTES } from "@/lib/http/parse";
import { DRAIN_MAX_BYTES, withHsts } from "@/lib/http/route";
import { closeRedis, getRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { fromAddress, sessionCookieHeader, TEST_SESSION_SECRET, useAppPrefix, useConfig } from "../helpers/auth";

const redis = testRedis();
const prefix = uniquePrefix("sechttp");
const appPrefix = `${prefix}app:`;
let users: { username: string; role: "viewer" | "operator" | "admin"; passwordHash: string }[];
let authConfig: Record<string, unknown>;

beforeAll(async () => {
  useAppPrefix(appPrefix);
  users = [
    { username: "ann", role: "operator", passwordHash: await hashPassword("s3cret!") },
    { username: "vera", role: "viewer", passwordHash: await hashPassword("v1ewer") },
    { username: "sam", role: "viewer", passwordHash: await hashPassword("sam-pw") },
  ];
  authConfig = {
    users,
    tokens: [{ name: "slow", role: "viewer", tokenHash: await hashPassword("slow-token-0123456789abcdef") }],
    sessionSecret: TEST_SESSION_SECRET,
  };
  useConfig({ auth: authConfig });
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

const SAME_ORIGIN = { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" };

/** A request whose body is produced lazily (no Content-Length), counting the bytes pulled from it. */
function streamingPost(
  path: string,
  headers: Record<string, string>,
  totalBytes: number,
): { req: Request; pulled: () => number } {
  let pulled = 0;
  const chunk = new TextEncoder().encode(`{"ids":[${'"1-0",'.repeat(10_000)}`.padEnd(64 * 1024, " "));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const req = new Request(new URL(path, "http://127.0.0.1:3000"), {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", ...SAME_ORIGIN, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return { req, pulled: () => pulled };
}

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("HSTS on API answers", () => {
  it("is set over https, also on an answer whose headers cannot change, and not over http", () => {
    const over = (proto: string) =>
      new Request("http://127.0.0.1:3000/api/auth/me", { headers: { "x-forwarded-proto": proto } });
    const redirect = withHsts(over("https"), Response.redirect("http://127.0.0.1:3000/login", 302));
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("http://127.0.0.1:3000/login");
    expect(redirect.headers.get("strict-transport-security")).toContain("max-age=");
    expect(withHsts(over("http"), Response.json({})).headers.get("strict-transport-security")).toBeNull();
  });
});

describe("a body over the limit", () => {
  const params = { params: Promise.resolve({ key: "orders", group: "g" }) };

  it("answers 413 within a second to a logged-in caller, reads the rest (so the client gets the answer), and is audited", async () => {
    const { req, pulled } = streamingPost(
      "/api/streams/orders/groups/g/ack",
      { cookie: sessionCookieHeader({ u: "ann", m: "password" }) },
      3 * 1024 * 1024,
    );
    const started = Date.now();
    const res = await within(1000, ackPOST(req, params as never));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(Date.now() - started).toBeLessThan(1000);
    // Read to its end: a connection closed with the body unread is reset, and the 413 lost with it.
    expect(pulled()).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    const { entries } = await readAudit(getRedis(), { action: "pending.ack", limit: 5 });
    expect(entries[0]).toMatchObject({ who: "ann", status: 413, result: "error", reason: "PAYLOAD_TOO_LARGE" });
  });

  it("reads and drops no more than DRAIN_MAX_BYTES of a huge body before answering", async () => {
    const { req, pulled } = streamingPost(
      "/api/streams/orders/groups/g/ack",
      { cookie: sessionCookieHeader({ u: "ann", m: "password" }) },
      64 * 1024 * 1024,
    );
    const res = await within(2000, ackPOST(req, params as never));
    expect(res.status).toBe(413);
    expect(pulled()).toBeGreaterThan(MAX_BODY_BYTES);
    expect(pulled()).toBeLessThan(DRAIN_MAX_BYTES + MAX_BODY_BYTES + 512 * 1024);
  });

  it("answers a viewer (refused anyway) within a second too", async () => {
    const { req } = streamingPost(
      "/api/streams/orders/groups/g/ack",
      { cookie: sessionCookieHeader({ u: "vera", m: "password" }) },
      3 * 1024 * 1024,
    );
    const res = await within(1000, ackPOST(req, params as never));
    expect(res.status).toBe(403);
  });

  it("answers 413 at once when Content-Length already says so", async () => {
    const res = await callRoute(ackPOST as never, "/api/streams/orders/groups/g/ack", {
      params: { key: "orders", group: "g" },
      rawBody: "{}",
      headers: { cookie: sessionCookieHeader({ u: "ann", m: "password" }), "content-length": String(3 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
  });
});

function login(username: string, password: string, ip: string, extra: Record<string, string> = {}) {
  return callRoute<{ error?: { code: string } }>(loginPOST as never, "/api/auth/login", {
    body: { username, password },
    headers: { ...fromAddress(ip), ...extra },
  });
}

describe("login rate limits", () => {
  it("reserves the attempt before the password check: 200 parallel tries get at most the limit of checks", async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => login("sam", `wrong-${i}`, "192.0.2.50")));
    const checked = results.filter((r) => r.status === 401).length;
    const refused = results.filter((r) => r.status === 429).length;
    expect(checked).toBeLessThanOrEqual(MAX_FAILS_PER_IP_USER);
    expect(checked + refused).toBe(200);
  }, 60_000);

  it("counts by socket address: a client's X-Forwarded-For does not buy more tries", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILS_PER_IP_USER + 3; i++) {
      statuses.push((await login("vera", `bad-${i}`, "192.0.2.60", { "x-forwarded-for": `10.9.${i}.1` })).status);
    }
    expect(statuses.slice(0, MAX_FAILS_PER_IP_USER).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(MAX_FAILS_PER_IP_USER)).toEqual([429, 429, 429]);
  }, 60_000);

  it("does not lock the owner out: over the per-user limit, an address without failures still logs in", async () => {
    const userKey = `${appPrefix}login-fails:user:{${createHash("sha256").update("ann").digest("hex").slice(0, 32)}}`;
    await redis.set(userKey, String(MAX_FAILS_PER_USER + 50), "PX", 60_000);
    expect((await login("ann", "guess", "192.0.2.70")).status).toBe(401);
    // That address has failed now: over the per-user limit it gets no second try.
    expect((await login("ann", "s3cret!", "192.0.2.70")).status).toBe(429);
    // The owner, from an address with no failures, gets in.
    expect((await login("ann", "s3cret!", "192.0.2.71")).status).toBe(200);
    await redis.del(userKey);
  }, 60_000);

  it("checks unknown bearer tokens against slow (scrypt) token hashes only a few times per address", async () => {
    const timed = async (i: number) => {
      const t = performance.now();
      const res = await callRoute(meGET as never, "/api/auth/me", {
        headers: { authorization: `Bearer unknown-${i}-0123456789abcdef`, ...fromAddress("192.0.2.80") },
      });
      expect(res.status).toBe(401);
      return performance.now() - t;
    };
    let slow = 0;
    for (let i = 0; i < MAX_SLOW_TOKEN_MISSES; i++) slow += await timed(i);
    let fast = 0;
    for (let i = 0; i < MAX_SLOW_TOKEN_MISSES; i++) fast += await timed(100 + i);
    expect(fast).toBeLessThan(slow / 3);
    const counted = await redis.get(`${appPrefix}token-fails:192.0.2.80`);
    expect(Number(counted)).toBe(2 * MAX_SLOW_TOKEN_MISSES);
    // A fast (sha256) token hash needs no limit: the real token still works from that address.
    useConfig({
      auth: {
        ...authConfig,
        tokens: [{ name: "fast", role: "viewer", tokenHash: hashToken("fast-token-0123456789abcdef") }],
      },
    });
    const ok = await callRoute(meGET as never, "/api/auth/me", {
      headers: { authorization: "Bearer fast-token-0123456789abcdef", ...fromAddress("192.0.2.80") },
    });
    expect(ok.status).toBe(200);
    useConfig({ auth: authConfig });
  }, 60_000);
});

describe("sessions", () => {
  async function logIn(): Promise<string> {
    const res = await login("vera", "v1ewer", "192.0.2.90");
    expect(res.status).toBe(200);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("logout ends the session server-side: the same cookie is refused afterwards", async () => {
    const cookie = await logIn();
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie } })).status).toBe(200);
    const out = await callRoute(logoutPOST as never, "/api/auth/logout", { body: {}, headers: { cookie } });
    expect(out.status).toBe(200);
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie } })).status).toBe(401);
    // A whole SCAN: one page of the shared server may hold none of this file's keys.
    const ended: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${appPrefix}session-ended:*`, "COUNT", 1000);
      ended.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect(ended.length).toBe(1);
    expect(await redis.pttl(ended[0]!)).toBeGreaterThan(0);
  });

  it("a changed passwordHash in the config ends the user's sessions", async () => {
    const cookie = await logIn();
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie } })).status).toBe(200);
    const changed = users.map((u) => (u.username === "vera" ? { ...u, passwordHash: users[2]!.passwordHash } : u));
    useConfig({ auth: { ...authConfig, users: changed } });
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie } })).status).toBe(401);
    useConfig({ auth: authConfig });
    expect((await callRoute(meGET as never, "/api/auth/me", { headers: { cookie } })).status).toBe(200);
  });

  it("refuses a signed cookie without a session id", async () => {
    const { signValue, SESSION_COOKIE } = await import("@/lib/auth/session");
    const bare = signValue(Buffer.from(TEST_SESSION_SECRET, "utf8"), "session", {
      u: "vera",
      m: "password",
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    expect(
      (await callRoute(meGET as never, "/api/auth/me", { headers: { cookie: `${SESSION_COOKIE}=${bare}` } })).status,
    ).toBe(401);
  });
});

describe("mutations without Origin or Sec-Fetch-Site", () => {
  const cookie = () => sessionCookieHeader({ u: "ann", m: "password" });
  const ack = (headers: Record<string, string>) =>
    callRoute<{ error: { code: string } }>(ackPOST as never, "/api/x", {
      params: { key: "ct-stream", group: "g" },
      method: "POST",
      rawBody: JSON.stringify({ ids: ["1-0"] }),
      headers,
    });

  it("must be application/json, so that a browser has to preflight them", async () => {
    // callRoute adds Origin and Sec-Fetch-Site for bodies; drop them by overriding with empty values.
    const bare = { origin: "", "sec-fetch-site": "" };
    const plain = await ack({ ...bare, cookie: cookie(), "content-type": "text/plain" });
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const form = await ack({ ...bare, cookie: cookie(), "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
    const json = await ack({ ...bare, cookie: cookie(), "content-type": "application/json; charset=utf-8" });
    expect(json.status).not.toBe(415);
    const sameOrigin = await ack({ ...SAME_ORIGIN, cookie: cookie(), "content-type": "text/plain" });
    expect(sameOrigin.status).not.toBe(415);
  });
});

describe("GET /api/health with a wrong Redis password", () => {
  it("reports REDIS_UNAVAILABLE, not INTERNAL", async () => {
    const user = `${prefix.replace(/:/g, "-")}health`;
    await redis.call("ACL", "SETUSER", user, "on", ">right-password", "+@all", "~*");
    const url = new URL(process.env.REDIS_URL!);
    const original = process.env.REDIS_URL!;
    url.username = user;
    url.password = "wrong-password";
    await closeRedis();
    process.env.REDIS_URL = url.href;
    resetProcessState();
    try {
      const res = await callRoute<{ status: string; error: { code: string } }>(healthGET as never, "/api/health");
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("REDIS_UNAVAILABLE");
    } finally {
      await closeRedis();
      process.env.REDIS_URL = original;
      resetProcessState();
      await redis.call("ACL", "DELUSER", user);
    }
  });
});

describe("the socket hook", () => {
  let server: Server | undefined;
  let uninstall: (() => void) | undefined;

  afterAll(() => {
    uninstall?.();
    server?.close();
  });

  async function serve(host: string): Promise<number> {
    server?.close();
    server = createServer((req, res) => res.end(JSON.stringify({ peer: req.headers[PEER_HEADER] })));
    await new Promise<void>((resolve) => server!.listen(0, host, resolve));
    return (server.address() as AddressInfo).port;
  }

  function get(port: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/", headers }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("refuses every request in local mode when the server is bound beyond loopback, whatever HOSTNAME says", async () => {
    const problems: string[] = [];
    uninstall = installSocketHook((p) => problems.push(p));
    useConfig({});
    process.env.HOSTNAME = "127.0.0.1";
    try {
      const everywhere = await serve("0.0.0.0");
      const refused = await get(everywhere);
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "FORBIDDEN" } });
      expect(problems[0]).toMatch(/bound to 0\.0\.0\.0/);

      const loopback = await serve("127.0.0.1");
      expect((await get(loopback)).status).toBe(200);
    } finally {
      delete process.env.HOSTNAME;
      useConfig({ auth: authConfig });
    }
    // With auth configured, any address may serve.
    const withAuth = await serve("0.0.0.0");
    expect((await get(withAuth)).status).toBe(200);
  });

  it("records the socket's peer address, overwriting a client's copy of the header", async () => {
    const port = await serve("127.0.0.1");
    const res = await get(port, { [PEER_HEADER]: "forged 203.0.113.1", "x-forwarded-for": "203.0.113.2" });
    const peer = (JSON.parse(res.body) as { peer: string }).peer;
    expect(peer).toMatch(/^[0-9a-f]{32} 127\.0\.0\.1$/);
  });
});
