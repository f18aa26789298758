/**
 * Auth in the browser, against a second `next start` of the built app with auth configured
 * (started here on a free 127.0.0.1 port, sharing the e2e Redis), plus local-mode checks
 * against the default e2e server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { hashPassword } from "../../lib/auth/password";
import { freePort } from "../../scripts/lib/redis-server";
import { e2eState, expect, test } from "./fixtures";

const SESSION_SECRET = "e2e-session-secret-0123456789abcdef0123456789";
// The machine is shared and scrypt is slow on purpose: generous waits, no timing assertions.
const SLOW = { timeout: 45_000 };
const USERS = { ann: "operator-pw-1", vera: "viewer-pw-1", ada: "admin-pw-1", sam: "scoped-pw-1" };
/** sam sees only these streams (none of the fixture's `${prefix}` keys). */
const SAM_SCOPE = "e2e-scope-in:*";
const APP_PREFIX = process.env.STREAMSCOPE_PREFIX ?? "streamscope:";

let app: ChildProcess | undefined;
let authURL = "";

async function waitFor(url: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "streamscope-e2e-auth-"));
  const config = join(dir, "config.json");
  writeFileSync(
    config,
    JSON.stringify({
      auth: {
        users: [
          { username: "ann", role: "operator", passwordHash: await hashPassword(USERS.ann) },
          { username: "vera", role: "viewer", passwordHash: await hashPassword(USERS.vera) },
          { username: "ada", role: "admin", passwordHash: await hashPassword(USERS.ada) },
          { username: "sam", role: "operator", passwordHash: await hashPassword(USERS.sam), streams: [SAM_SCOPE] },
        ],
        sessionSecret: SESSION_SECRET,
      },
    }),
  );
  const port = await freePort();
  authURL = `http://127.0.0.1:${port}`;
  app = spawn(
    process.execPath,
    [join(process.cwd(), "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        STREAMSCOPE_CONFIG: config,
        REDIS_URL: e2eState().redisUrl,
        WORKER: "off",
        NODE_ENV: "production",
        PORT: String(port),
      },
    },
  );
  await waitFor(`${authURL}/api/health`);
});

test.afterAll(async () => {
  if (app?.pid) app.kill("SIGTERM");
});

/** One raw HTTP request to the auth server (no browser, so no Origin and no cookie jar). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<{
  status: number;
  body: string;
  setCookie: string;
  headers: Record<string, string | string[] | undefined>;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${authURL}${path}`, { method, headers }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: text,
          setCookie: String(res.headers["set-cookie"]?.[0] ?? ""),
          headers: res.headers,
        }),
      );
    });
    // The server may answer and stop reading before the whole body is sent.
    req.on("error", (err: NodeJS.ErrnoException) =>
      err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err),
    );
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function logIn(page: Page, user: keyof typeof USERS, next = "/") {
  await page.goto(`${authURL}${next}`);
  await expect(page).toHaveURL(/\/login\?next=/, SLOW);
  await page.getByLabel("Username", { exact: true }).fill(user);
  await page.getByLabel("Password", { exact: true }).fill(USERS[user]);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByLabel("Current user")).toContainText(user, SLOW);
}

test.describe("with auth configured", () => {
  test("pages redirect to the login page; login and logout work", async ({ page }) => {
    await page.goto(`${authURL}/audit`);
    await expect(page).toHaveURL(`${authURL}/login?next=%2Faudit`);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
    await expect(page.getByText("Local mode: no login")).toHaveCount(0);

    await page.getByLabel("Username", { exact: true }).fill("ann");
    await page.getByLabel("Password", { exact: true }).fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password" })).toBeVisible(SLOW);

    await page.getByLabel("Password", { exact: true }).fill(USERS.ann);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(`${authURL}/audit`, SLOW);
    await expect(page.getByLabel("Current user")).toContainText("ann", SLOW);
    await expect(page.getByLabel("Current user")).toContainText("operator");
    const cookies = await page.context().cookies(authURL);
    const session = cookies.find((c) => c.name === "streamscope_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });

    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login/, SLOW);
    await page.goto(`${authURL}/`);
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    const api = await page.request.get(`${authURL}/api/auth/me`);
    expect(api.status()).toBe(401);
    // Logout ended the session on the server: a copy of the old cookie is refused too.
    const replay = await rawRequest("GET", "/api/auth/me", { cookie: `streamscope_session=${session!.value}` });
    expect(replay.status).toBe(401);
  });

  test("after login the browser goes only to a path on this site, even when the next parameter hides a tab", async ({
    page,
  }) => {
    await page.goto(`${authURL}/login?next=${encodeURIComponent("/\t/evil.example/x")}`);
    await page.getByLabel("Username", { exact: true }).fill("vera");
    await page.getByLabel("Password", { exact: true }).fill(USERS.vera);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByLabel("Current user")).toContainText("vera", SLOW);
    expect(new URL(page.url()).origin).toBe(authURL);
    expect(new URL(page.url()).pathname).toBe("/");
  });

  test("a body over the limit is answered 413 within a second, streamed or declared, and audited", async () => {
    const login = await rawRequest(
      "POST",
      "/api/auth/login",
      { "content-type": "application/json" },
      JSON.stringify({ username: "vera", password: USERS.vera }),
    );
    expect(login.status).toBe(200);
    const cookie = login.setCookie.split(";")[0]!;
    const big = Buffer.alloc(3 * 1024 * 1024, " ");
    big.write('{"ids":["1-0"],"pad":"');
    big.write('"}', big.length - 2);
    for (const chunked of [true, false]) {
      const started = Date.now();
      const res = await rawRequest(
        "POST",
        "/api/streams/orders/groups/g/ack",
        {
          cookie,
          "content-type": "application/json",
          ...(chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(big.length) }),
        },
        big,
      );
      const took = Date.now() - started;
      // vera is a viewer: the refusal must not wait for a body it will never read either.
      expect([403, 413]).toContain(res.status);
      expect(took, `answered in ${took} ms`).toBeLessThan(1000);
    }
    const ann = await rawRequest(
      "POST",
      "/api/auth/login",
      { "content-type": "application/json" },
      JSON.stringify({ username: "ann", password: USERS.ann }),
    );
    const annCookie = ann.setCookie.split(";")[0]!;
    const started = Date.now();
    const res = await rawRequest(
      "POST",
      "/api/streams/orders/groups/g/ack",
      { cookie: annCookie, "content-type": "application/json", "transfer-encoding": "chunked" },
      big,
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("malformed escapes in a path: a JSON 400 for the API, the not-found page for pages", async () => {
    // Bad hex, a cut escape, an overlong UTF-8 form and a cut UTF-8 sequence.
    for (const path of [
      "/api/streams/%ZZ",
      "/api/streams/%ff/groups",
      "/api/streams/a%2",
      "/api/streams/%C0%AF",
      "/api/streams/k%E0%A4%A",
    ]) {
      const res = await rawRequest("GET", path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "BAD_REQUEST" } });
    }
    // Well-formed escapes, ASCII and UTF-8 (Korean), reach the route (which asks for a login).
    for (const path of ["/api/streams/no%3Asuch%3Astream", "/api/streams/%ED%95%9C%EA%B8%80-no-such"]) {
      const res = await rawRequest("GET", path);
      expect(res.status, path).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
    for (const path of ["/streams/%ZZ", "/streams/%ff"]) {
      const res = await rawRequest("GET", path);
      expect(res.status, `${path} → ${res.headers.location ?? ""}`).toBe(404);
      expect(res.headers["content-type"]).toContain("text/html");
    }
  });

  test("rate limits count the socket address, not a client's X-Forwarded-For; HSTS over https", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await rawRequest(
        "POST",
        "/api/auth/login",
        { "content-type": "application/json", "x-forwarded-for": `10.66.${i}.1` },
        JSON.stringify({ username: "nobody-ratelimit", password: `wrong-${i}` }),
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const https = await rawRequest("GET", "/login", { "x-forwarded-proto": "https" });
    expect(https.headers["strict-transport-security"]).toContain("max-age=");
    const plain = await rawRequest("GET", "/login");
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    // API answers, which do not pass through the page proxy, and health (not an apiRoute).
    for (const path of ["/api/auth/me", "/api/health", "/api/no-such-route-at-all/%ZZ"]) {
      const api = await rawRequest("GET", path, { "x-forwarded-proto": "https" });
      expect(api.headers["strict-transport-security"], path).toContain("max-age=");
      expect((await rawRequest("GET", path)).headers["strict-transport-security"], path).toBeUndefined();
    }
  });

  test("pages carry a nonce CSP and still hydrate; security headers are set", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    const res = await page.goto(`${authURL}/login`);
    const csp = res!.headers()["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res!.headers()["x-frame-options"]).toBe("DENY");
    expect(res!.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res!.headers()["referrer-policy"]).toBe("no-referrer");
    expect(res!.headers()["x-robots-tag"]).toBe("noindex, nofollow");
    await logIn(page, "ada");
    // The user menu is rendered by client-side React: it shows only if the scripts ran under the CSP.
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("robots.txt asks every crawler to stay out, without a login", async () => {
    const robots = await rawRequest("GET", "/robots.txt");
    expect(robots.status).toBe(200);
    expect(robots.body).toMatch(/^User-agent: \*$/m);
    expect(robots.body).toMatch(/^Disallow: \/$/m);
    expect(robots.headers["x-robots-tag"]).toBe("noindex, nofollow");
  });

  test("a foreign Host header is refused (DNS rebinding)", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${authURL}/login`, { headers: { host: "rebound.attacker.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  test("a viewer cannot reach admin data, even by a forced request from the page", async ({ page }) => {
    await logIn(page, "vera", "/audit");
    await expect(page.getByText("Admins only")).toBeVisible();
    const status = await page.evaluate(async () => (await fetch("/api/audit")).status);
    expect(status).toBe(403);
  });

  test("an admin sees the audit trail, including the refused attempt", async ({ page, request }) => {
    const refused = await request.post(`${authURL}/api/auth/login`, {
      data: { username: "mallory", password: "guess" },
    });
    expect(refused.status()).toBe(401);
    await logIn(page, "ada", "/audit");
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    // Failed logins are in the anonymous trail, apart from authenticated actions.
    await page.getByRole("combobox", { name: /^Trail/ }).selectOption("anonymous");
    await page.getByLabel("Result").selectOption("denied");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByRole("row").filter({ hasText: "mallory" }).first()).toContainText("denied 401", SLOW);
    await expect(page.getByRole("row").filter({ hasText: "ada admin" })).toHaveCount(0);
  });

  test("an admin sees an entry written into the audit stream from Redis flagged unverified", async ({
    page,
    redis,
  }) => {
    const forged = {
      time: Date.now(),
      who: "forger",
      role: "admin",
      method: "password",
      ip: "",
      userAgent: "",
      action: "settings.update",
      touched: 0,
      result: "ok",
      status: 200,
    };
    await redis.xadd(`${APP_PREFIX}audit`, "*", "e", JSON.stringify(forged));
    await logIn(page, "ada", "/audit");
    await expect(page.getByRole("row").filter({ hasText: "forger" }).first()).toContainText("unverified", SLOW);
    // Streamscope's own entry (ada's login) is not flagged.
    const login = page.getByRole("row").filter({ hasText: "ada" }).filter({ hasText: "login" }).first();
    await expect(login).toBeVisible();
    await expect(login).not.toContainText("unverified");
  });

  test("the app's own keys show the not-found pages, even to an admin", async ({ page }) => {
    test.setTimeout(180_000);
    const key = encodeURIComponent(`${APP_PREFIX}audit`);
    await logIn(page, "ada", `/streams/${key}`);
    await expect(page.getByText("No such stream")).toBeVisible(SLOW);
    await page.goto(`${authURL}/streams/${key}/history`);
    await expect(page.getByText("No such stream")).toBeVisible(SLOW);
    await page.goto(`${authURL}/streams/${key}/groups/g`);
    await expect(page.getByText("Group not found")).toBeVisible(SLOW);
  });

  test("a viewer sees no action buttons on the group page and a forced ack is refused 403", async ({
    page,
    redis,
    prefix,
  }) => {
    const key = `${prefix}viewer`;
    await redis.xadd(key, "1-0", "f", "v");
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    await logIn(page, "vera", `/streams/${encodeURIComponent(key)}/groups/g`);
    await expect(page.getByRole("row").filter({ hasText: "1-0" }).first()).toBeVisible();
    const actions = page.getByRole("button", {
      name: /^(Ack|Claim|Requeue|Dead-letter|Delete|Redrive|Publish|Create|Move|Run now|Silence)/,
    });
    await expect(actions).toHaveCount(0);
    const status = await page.evaluate(async (k) => {
      const res = await fetch(`/api/streams/${encodeURIComponent(k)}/groups/g/ack`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ids: ["1-0"] }),
      });
      return res.status;
    }, key);
    expect(status).toBe(403);
    // Still pending: the refused request changed nothing.
    expect(((await redis.xpending(key, "g")) as unknown[])[0]).toBe(1);
  });

  test("when the session ends, the page goes to the login page and comes back to where it was after login", async ({
    page,
    redis,
    prefix,
  }) => {
    const key = `${prefix}expiry/é ?`;
    await redis.xadd(key, "1-0", "f", "v");
    await redis.xgroup("CREATE", key, "g", "0");
    const where = `/streams/${encodeURIComponent(key)}?id=1-0`;
    await logIn(page, "ann", where);
    await expect(page).toHaveURL(`${authURL}${where}`, SLOW);
    await expect(page.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: "1-0" })).toBeVisible(
      SLOW,
    );

    // The session ends (expired, or logged out in another tab): the next poll answers 401.
    await page.context().clearCookies();
    await expect(page).toHaveURL(`${authURL}/login?next=${encodeURIComponent(where)}`, SLOW);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

    await page.getByLabel("Username", { exact: true }).fill("ann");
    await page.getByLabel("Password", { exact: true }).fill(USERS.ann);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(`${authURL}${where}`, SLOW);
    await expect(page.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: "1-0" })).toBeVisible(
      SLOW,
    );
  });
});

test.describe("stream scope on pages", () => {
  test("out of scope, an existing stream, a hash and a missing key all get the stream's not-found page", async ({
    page,
    redis,
    prefix,
  }) => {
    test.setTimeout(180_000);
    const stream = `${prefix}hidden`;
    const hash = `${prefix}hidden-hash`;
    await redis.xadd(stream, "1-0", "f", "v");
    await redis.xgroup("CREATE", stream, "g", "0");
    await redis.hset(hash, "f", "v");
    await logIn(page, "sam", "/alerts");
    for (const key of [stream, hash, `${prefix}missing`, SAM_SCOPE.replace("*", "missing")]) {
      await page.goto(`${authURL}/streams/${encodeURIComponent(key)}`);
      await expect(page.getByText("No such stream"), key).toBeVisible(SLOW);
      await expect(page.getByText(/holds a /), key).toHaveCount(0);
    }
    // The pages stream their answer, so the not-found state shows in the content, not the status.
    await page.goto(`${authURL}/streams/${encodeURIComponent(stream)}/groups/g`);
    await expect(page.getByRole("heading", { name: "Group not found" })).toBeVisible(SLOW);
    await page.goto(`${authURL}/streams/${encodeURIComponent(stream)}/history`);
    await expect(page.getByText("No such stream")).toBeVisible(SLOW);
  });
});

test.describe("local mode on the bound socket", () => {
  test("`next start` without -H (every interface) and no auth refuses to serve", async () => {
    test.setTimeout(90_000);
    const port = await freePort();
    const config = join(mkdtempSync(join(tmpdir(), "streamscope-e2e-local-")), "config.json");
    writeFileSync(config, "{}");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      STREAMSCOPE_CONFIG: config,
      REDIS_URL: e2eState().redisUrl,
      WORKER: "off",
      NODE_ENV: "production",
      PORT: String(port),
    };
    delete env.HOSTNAME;
    const child = spawn(
      process.execPath,
      [join(process.cwd(), "node_modules/next/dist/bin/next"), "start", "-p", String(port)],
      { stdio: ["ignore", "ignore", "pipe"], env },
    );
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 60_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code === null) child.kill("SIGTERM");
    expect(code).toBe(1);
    expect(stderr).toContain("refuses to listen on a non-loopback address without login");
  });
});

test.describe("local mode (default e2e server, no auth)", () => {
  test("shows the local-mode banner and needs no login", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByText("Local mode: no login")).toBeVisible();
    await expect(page.getByLabel("Current user")).toContainText("local");
    await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);
  });

  test("HTML and script in keys, field names and values render as inert text on the overview and stream page", async ({
    page,
    redis,
    prefix,
  }) => {
    const payload = `<img src=x onerror="window.__xss=1">`;
    const key = `${prefix}${payload}<script>window.__xss=2</script>`;
    await redis.xadd(
      key,
      "1-0",
      `<b onmouseover="window.__xss=3">name</b>`,
      `<script>window.__xss=4</script>${payload}`,
    );
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`/?match=${encodeURIComponent(`${prefix}*`)}`);
    await expect(page.getByText(key, { exact: false }).first()).toBeVisible();
    await page.goto(`/streams/${encodeURIComponent(key)}`);
    await expect(page.getByText(`<script>window.__xss=4</script>`, { exact: false }).first()).toBeVisible();
    await expect(page.getByText(`<b onmouseover="window.__xss=3">name</b>`, { exact: false }).first()).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("img[src='x']").count()).toBe(0);
    expect(dialogs).toBe(0);
  });
});
