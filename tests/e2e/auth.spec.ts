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
const USERS = { ann: "operator-pw-1", vera: "viewer-pw-1", ada: "admin-pw-1" };

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
        ],
        sessionSecret: SESSION_SECRET,
      },
    }),
  );
  const port = await freePort();
  authURL = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, [join(process.cwd(), "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, STREAMSCOPE_CONFIG: config, REDIS_URL: e2eState().redisUrl, WORKER: "off", NODE_ENV: "production", PORT: String(port) },
  });
  await waitFor(`${authURL}/api/health`);
});

test.afterAll(async () => {
  if (app?.pid) app.kill("SIGTERM");
});

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
    await logIn(page, "ada");
    // The user menu is rendered by client-side React: it shows only if the scripts ran under the CSP.
    await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
    expect(violations).toEqual([]);
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
    const refused = await request.post(`${authURL}/api/auth/login`, { data: { username: "mallory", password: "guess" } });
    expect(refused.status()).toBe(401);
    await logIn(page, "ada", "/audit");
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    await page.getByLabel("Result").selectOption("denied");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByRole("row").filter({ hasText: "mallory" }).first()).toContainText("denied 401", SLOW);
    await expect(page.getByRole("row").filter({ hasText: "ada admin" })).toHaveCount(0);
  });

  test("a viewer sees no action buttons on the group page and a forced ack is refused 403", async ({ page, redis, prefix }) => {
    const key = `${prefix}viewer`;
    await redis.xadd(key, "1-0", "f", "v");
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    await logIn(page, "vera", `/streams/${encodeURIComponent(key)}/groups/g`);
    await expect(page.getByRole("row").filter({ hasText: "1-0" }).first()).toBeVisible();
    const actions = page.getByRole("button", { name: /^(Ack|Claim|Requeue|Dead-letter|Delete|Redrive|Publish|Create|Move|Run now|Silence)/ });
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

  test("when the session ends, the page goes to the login page and comes back to where it was after login", async ({ page, redis, prefix }) => {
    const key = `${prefix}expiry/é ?`;
    await redis.xadd(key, "1-0", "f", "v");
    await redis.xgroup("CREATE", key, "g", "0");
    const where = `/streams/${encodeURIComponent(key)}?id=1-0`;
    await logIn(page, "ann", where);
    await expect(page).toHaveURL(`${authURL}${where}`, SLOW);
    await expect(page.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: "1-0" })).toBeVisible(SLOW);

    // The session ends (expired, or logged out in another tab): the next poll answers 401.
    await page.context().clearCookies();
    await expect(page).toHaveURL(`${authURL}/login?next=${encodeURIComponent(where)}`, SLOW);
    await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();

    await page.getByLabel("Username", { exact: true }).fill("ann");
    await page.getByLabel("Password", { exact: true }).fill(USERS.ann);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(`${authURL}${where}`, SLOW);
    await expect(page.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: "1-0" })).toBeVisible(SLOW);
  });
});

test.describe("local mode (default e2e server, no auth)", () => {
  test("shows the local-mode banner and needs no login", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByText("Local mode: no login")).toBeVisible();
    await expect(page.getByLabel("Current user")).toContainText("local");
    await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);
  });

  test("HTML and script in keys, field names and values render as inert text on the overview and stream page", async ({ page, redis, prefix }) => {
    const payload = `<img src=x onerror="window.__xss=1">`;
    const key = `${prefix}${payload}<script>window.__xss=2</script>`;
    await redis.xadd(key, "1-0", `<b onmouseover="window.__xss=3">name</b>`, `<script>window.__xss=4</script>${payload}`);
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
