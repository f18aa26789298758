/**
 * Single sign-on against a real OpenID provider (the oidc-provider package) on 127.0.0.1,
 * driven like a browser: fetch with a cookie jar, following redirects and submitting the
 * provider's own login and consent forms.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Provider from "oidc-provider";
import { GET as oidcLoginGET } from "@/app/api/auth/oidc/login/route";
import { GET as oidcCallbackGET } from "@/app/api/auth/oidc/callback/route";
import { GET as meGET } from "@/app/api/auth/me/route";
import { closeRedis } from "@/lib/redis/client";
import type { MeResponse } from "@/lib/contract/auth";
import { freePort } from "../../scripts/lib/redis-server";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { TEST_SESSION_SECRET, useAppPrefix, useConfig } from "../helpers/auth";

const redis = testRedis();
const prefix = uniquePrefix("oidc");
const APP = "http://127.0.0.1:3000";
const GROUPS: Record<string, string[]> = {
  alice: ["platform-oncall"],
  bob: ["platform-oncall", "platform-leads"],
  eve: ["marketing"],
};
let server: Server;
let issuer: string;

beforeAll(async () => {
  useAppPrefix(`${prefix}app:`);
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "streamscope",
        client_secret: "client-secret-0123456789",
        redirect_uris: [`${APP}/api/auth/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["preferred_username"], groups: ["groups"] },
    scopes: ["openid", "profile", "groups"],
    cookies: { keys: ["test-cookie-key-0123456789"] },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, preferred_username: id, groups: GROUPS[id] ?? [] }) };
    },
  });
  server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  useConfig({
    auth: {
      oidc: {
        issuer,
        clientId: "streamscope",
        clientSecret: "env:TEST_OIDC_SECRET",
        rolesClaim: "groups",
        roles: { "platform-oncall": "operator", "platform-leads": "admin" },
        scopes: "openid profile groups",
      },
      sessionSecret: TEST_SESSION_SECRET,
    },
  });
});
process.env.TEST_OIDC_SECRET = "client-secret-0123456789";

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

/** A browser stand-in for the provider's pages. */
class Browser {
  private jar = new Map<string, string>();

  private store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      this.jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    this.store(res);
    return res;
  }

  /** Follows redirects and fills the provider's forms until it redirects back to the app. */
  async signIn(start: string, login: string): Promise<URL> {
    let url = start;
    for (let step = 0; step < 20; step++) {
      if (url.startsWith(APP)) return new URL(url);
      const res = await this.request(url);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get("location")!, url).href;
        continue;
      }
      const html = await res.text();
      expect(res.status, html.slice(0, 300)).toBe(200);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      expect(action, "a form on the provider's page").toBeTruthy();
      const form = new URLSearchParams({ prompt: prompt! });
      if (prompt === "login") {
        form.set("login", login);
        form.set("password", "anything");
      }
      const submitted = await this.request(new URL(action!.replace(/&amp;/g, "&"), url).href, {
        method: "POST",
        body: form.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(submitted.status).toBeGreaterThanOrEqual(300);
      url = new URL(submitted.headers.get("location")!, url).href;
    }
    throw new Error("sign-in did not come back to the app");
  }
}

async function ssoLogin(login: string, next = "/streams/x") {
  const start = await callRoute(oidcLoginGET as never, `/api/auth/oidc/login?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  const location = start.headers.get("location")!;
  expect(location.startsWith(issuer)).toBe(true);
  const authorize = new URL(location);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  const txnCookie = start.headers.get("set-cookie")!;
  expect(txnCookie).toMatch(/SameSite=Lax/);
  const back = await new Browser().signIn(location, login);
  return { back, txn: txnCookie.split(";")[0]! };
}

describe("OIDC sign-in against a local provider", () => {
  it("maps the groups claim to the highest role and lands on the page asked for", async () => {
    const { back, txn } = await ssoLogin("bob");
    const cb = await callRoute<string>(oidcCallbackGET as never, `${back.pathname}${back.search}`, {
      headers: { cookie: txn },
    });
    expect(cb.status).toBe(200);
    expect(cb.body).toContain('http-equiv="refresh" content="0;url=/streams/x"');
    const session = cb.headers.getSetCookie().find((c) => c.startsWith("streamscope_session="))!;
    expect(session).toMatch(/HttpOnly; SameSite=Strict/);
    const me = await callRoute<MeResponse>(meGET as never, "/api/auth/me", {
      headers: { cookie: session.split(";")[0]! },
    });
    expect(me.body).toMatchObject({ user: "bob", role: "admin", method: "oidc" });
  });

  it("gives operator to the on-call group", async () => {
    const { back, txn } = await ssoLogin("alice");
    const cb = await callRoute(oidcCallbackGET as never, `${back.pathname}${back.search}`, {
      headers: { cookie: txn },
    });
    const session = cb.headers.getSetCookie().find((c) => c.startsWith("streamscope_session="))!;
    const me = await callRoute<MeResponse>(meGET as never, "/api/auth/me", {
      headers: { cookie: session.split(";")[0]! },
    });
    expect(me.body.role).toBe("operator");
  });

  it("answers 403 with no session when no group maps to a role", async () => {
    const { back, txn } = await ssoLogin("eve");
    const cb = await callRoute<string>(oidcCallbackGET as never, `${back.pathname}${back.search}`, {
      headers: { cookie: txn },
    });
    expect(cb.status).toBe(403);
    expect(cb.body).toContain("No access");
    expect(
      cb.headers.getSetCookie().some((c) => c.startsWith("streamscope_session=") && !c.includes("Max-Age=0")),
    ).toBe(false);
  });

  it("goes back only to a path that stays on this site once the URL parser has normalised it", async () => {
    const { back, txn } = await ssoLogin("bob", "/\t/evil.example/x");
    const cb = await callRoute<string>(oidcCallbackGET as never, `${back.pathname}${back.search}`, {
      headers: { cookie: txn },
    });
    expect(cb.status).toBe(200);
    expect(cb.body).toContain('http-equiv="refresh" content="0;url=/"');
    expect(cb.body).not.toContain("evil.example");
  });

  it("refuses a callback with a wrong state or without the transaction cookie", async () => {
    const { back, txn } = await ssoLogin("alice");
    const tampered = new URL(back);
    tampered.searchParams.set("state", "forged");
    expect(
      (
        await callRoute(oidcCallbackGET as never, `${tampered.pathname}${tampered.search}`, {
          headers: { cookie: txn },
        })
      ).status,
    ).toBe(400);
    expect((await callRoute(oidcCallbackGET as never, `${back.pathname}${back.search}`)).status).toBe(400);
  });
});
