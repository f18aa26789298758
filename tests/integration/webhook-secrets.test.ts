/**
 * Webhook URLs carry secrets: every answer shows them masked, an admin replaces them but never
 * reads them. Their addresses: http(s) only, and no loopback, link-local or private address
 * (checked in the schema, the settings PUT and at connect time) unless the config file allows it.
 */
import { createServer, type Server } from "node:http";
import { lookup } from "node:dns/promises";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { configFileSchema, type AuthConfig } from "@/lib/contract/config";
import { invalidateSettingsCache, loadSettings, SETTINGS_KEY } from "@/lib/config/settings";
import { isPrivateAddress, webhookUrlProblem } from "@/lib/contract/webhook-address";
import { WebhookQueue, type WebhookEvent } from "@/lib/alerts/webhook";
import type { SettingsResponse } from "@/lib/contract/settings";
import { closeRedis } from "@/lib/redis/client";
import * as settingsRoute from "@/app/api/settings/route";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { sessionCookieHeader, TEST_SESSION_SECRET, useAppPrefix, useConfig as writeConfig } from "../helpers/auth";

const redis = testRedis();
const prefix = uniquePrefix("hooks");
const SECRET_URL = "https://hooks.example.com/services/T000/B000/very-secret-token";
const admin = { cookie: sessionCookieHeader({ u: "ada", m: "password" }) };
const viewer = { cookie: sessionCookieHeader({ u: "vera", m: "password" }) };
let users: NonNullable<AuthConfig["users"]> = [];

async function configure(alerts: Record<string, unknown>) {
  writeConfig({ auth: { users, sessionSecret: TEST_SESSION_SECRET }, alerts });
  await redis.del(SETTINGS_KEY());
  invalidateSettingsCache();
}

const get = (headers: Record<string, string>) =>
  callRoute<SettingsResponse>(settingsRoute.GET, "/api/settings", { headers });
const put = (body: unknown) =>
  callRoute<SettingsResponse & { error?: { code: string; message: string } }>(settingsRoute.PUT, "/api/settings", {
    method: "PUT",
    body,
    headers: admin,
  });

beforeAll(async () => {
  useAppPrefix(`${prefix}app:`);
  const hash = await hashPassword("pw");
  users = [
    { username: "vera", role: "viewer", passwordHash: hash },
    { username: "ada", role: "admin", passwordHash: hash },
  ];
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("webhook URLs are masked", () => {
  it("GET /api/settings shows scheme and host only, to viewers and admins", async () => {
    await configure({ webhooks: [{ url: SECRET_URL, format: "slack" }] });
    for (const headers of [viewer, admin]) {
      const res = await get(headers);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain("very-secret-token");
      expect(res.body.settings.alerts.webhooks).toEqual([{ url: "https://hooks.example.com/***", format: "slack" }]);
    }
  });

  it("a PUT sending the masked URL back keeps the stored one; a new URL replaces it; an unknown mask is 400", async () => {
    await configure({ webhooks: [{ url: SECRET_URL, format: "json" }] });
    const shown = (await get(admin)).body.settings.alerts;
    const kept = await put({ set: { alerts: { ...shown, rules: [{ stream: "orders*", pendingOver: 5 }] } } });
    expect(kept.status).toBe(200);
    expect(JSON.stringify(kept.body)).not.toContain("very-secret-token");
    invalidateSettingsCache();
    expect((await loadSettings(redis)).alerts.webhooks).toEqual([{ url: SECRET_URL, format: "json" }]);
    expect(await redis.get(SETTINGS_KEY())).toContain(SECRET_URL);

    const replaced = await put({
      set: { alerts: { webhooks: [{ url: "https://other.example.net/hook/new-secret", format: "json" }], rules: [] } },
    });
    expect(replaced.status).toBe(200);
    invalidateSettingsCache();
    expect((await loadSettings(redis)).alerts.webhooks[0]?.url).toBe("https://other.example.net/hook/new-secret");

    const unknown = await put({
      set: { alerts: { webhooks: [{ url: "https://hooks.example.com/***", format: "json" }], rules: [] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toMatch(/alerts\.webhooks\.0\.url.*masked/);
  });
});

describe("webhook addresses", () => {
  it("refuses other schemes and loopback, link-local and private hosts in a PUT (400 naming the key)", async () => {
    await configure({});
    for (const url of [
      "ftp://hooks.example.com/x",
      "file:///etc/passwd",
      "http://127.0.0.1:9/x",
      "http://2130706433/x",
      "http://localhost/x",
      "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/x",
      "http://192.168.0.1/x",
      "http://[::1]/x",
      "http://[fe80::1]/x",
      "http://[::ffff:127.0.0.1]/x",
    ]) {
      const res = await put({ set: { alerts: { webhooks: [{ url, format: "json" }], rules: [] } } });
      expect(res.status, url).toBe(400);
      expect(res.body.error?.message, url).toMatch(/alerts\.webhooks\.0\.url/);
    }
    expect(
      (
        await put({
          set: { alerts: { webhooks: [{ url: "https://hooks.example.com/x", format: "json" }], rules: [] } },
        })
      ).status,
    ).toBe(200);
    const sneaky = await put({ set: { alerts: { webhooks: [], rules: [], allowPrivateWebhooks: true } } });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error?.message).toMatch(/allowPrivateWebhooks: set in the config file only/);
  });

  it("the config file schema refuses them too, unless alerts.allowPrivateWebhooks is true", () => {
    const bad = configFileSchema.safeParse({ alerts: { webhooks: [{ url: "http://127.0.0.1:8080/hook" }] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["alerts", "webhooks", 0, "url"]);
    expect(
      configFileSchema.safeParse({
        alerts: { allowPrivateWebhooks: true, webhooks: [{ url: "http://127.0.0.1:8080/hook" }] },
      }).success,
    ).toBe(true);
    expect(
      configFileSchema.safeParse({ alerts: { allowPrivateWebhooks: true, webhooks: [{ url: "gopher://127.0.0.1/" }] } })
        .success,
    ).toBe(false);
    expect(webhookUrlProblem("https://hooks.slack.com/services/x", false)).toBeNull();
  });

  it("with the file allowing private webhooks, a PUT to 127.0.0.1 is accepted and keeps the flag", async () => {
    await configure({ allowPrivateWebhooks: true });
    const res = await put({
      set: { alerts: { webhooks: [{ url: "http://127.0.0.1:9/x", format: "json" }], rules: [] } },
    });
    expect(res.status).toBe(200);
    invalidateSettingsCache();
    expect((await loadSettings(redis)).alerts.allowPrivateWebhooks).toBe(true);
  });
});

describe("webhook delivery checks the address it connects to", () => {
  let server: Server;
  let port = 0;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? "");
      req.resume();
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const event = {
    event: "firing",
    alert: {
      id: "a1",
      rule: "pending-over",
      stream: "s",
      group: "g",
      consumer: null,
      state: "firing",
      severity: "warning",
      message: "m",
      firstSeen: 0,
      lastSeen: 0,
      resolvedAt: null,
      silencedUntil: null,
      link: "/",
    },
    value: 1,
    at: 0,
  } as WebhookEvent;

  async function deliver(url: string, allowPrivate: boolean) {
    const queue = new WebhookQueue({ attempts: 2, baseDelayMs: 10, timeoutMs: 2000, concurrency: 1, maxQueue: 10 });
    queue.enqueue([{ url, format: "json", allowPrivate }], [event]);
    await queue.idle();
    return queue.snapshot();
  }

  it("refuses a private literal address, and a name that resolves to one (no retry), unless allowed", async () => {
    const host = hostname();
    const resolved = await lookup(host).catch(() => null);
    const targets = [`http://127.0.0.1:${port}/literal`];
    if (resolved && isPrivateAddress(resolved.address) && resolved.address === "127.0.0.1")
      targets.push(`http://${host}:${port}/by-name`);
    for (const url of targets) {
      received.length = 0;
      const refused = await deliver(url, false);
      expect(refused, url).toMatchObject({ delivered: 0, failed: 1 });
      expect(received, url).toEqual([]);
      const allowed = await deliver(url, true);
      expect(allowed, url).toMatchObject({ delivered: 1, failed: 0 });
      expect(received.length, url).toBe(1);
    }
  });
});
