/**
 * The callers of a route test file: API tokens by name, written with the rest of the file's
 * config into a temp config file before its tests, a `call` that invokes a route handler as one
 * of them (or as nobody), and the teardown that cleans the file's keys and resets the process.
 */
import type Redis from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { hashToken } from "@/lib/auth/token-hash";
import { invalidateSettingsCache } from "@/lib/config/settings";
import type { Role } from "@/lib/contract/auth";
import type { AuthConfig } from "@/lib/contract/config";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { TEST_SESSION_SECRET, useAppPrefix, useConfig } from "./auth";
import { cleanPrefix } from "./redis";
import { callRoute } from "./route";

export interface TokenCaller {
  token: string;
  role: Role;
  /** The token's name in the config (audit entries say `token:<name>`); the caller's key by default. */
  name?: string;
  streams?: string[];
}

/** Two operators and a viewer, for files that need callers but nothing particular about them. */
export const TEAM_TOKENS = {
  alice: { token: "tok-alice-operator-0123456789abcdef0123", role: "operator" },
  bob: { token: "tok-bob-operator-0123456789abcdef012345", role: "operator" },
  viewer: { token: "tok-viewer-0123456789abcdef0123456789ab", role: "viewer" },
} as const satisfies Record<string, TokenCaller>;

type Handler = Parameters<typeof callRoute>[0];
export type ErrorRes = { error: { code: string; message: string } };

/** The password of every session user `tokenCallers` configures (`users`). */
export const USER_PASSWORD = "pw";

/**
 * Registers the file's beforeAll and afterAll (call it after `testRedis()`, whose client the
 * teardown still uses). Without `tokens` or `users` the config has no auth section and `call`
 * sends no credentials; `users` adds password users (USER_PASSWORD) by name for session cookies;
 * `appPrefix` puts the app's own keys under `${prefix}app:`. `auth()` is the auth section written,
 * for a file that rewrites its config later (read-only mode, no auth).
 */
export function tokenCallers<W extends string = never>(opts: {
  redis: Redis;
  prefix: string;
  tokens?: Record<W, TokenCaller>;
  config?: Record<string, unknown>;
  appPrefix?: boolean;
  users?: Record<string, Role>;
}) {
  const tokens = (opts.tokens ?? {}) as Record<W, TokenCaller>;
  const headers = (who: W | null): Record<string, string> =>
    who === null ? {} : { authorization: `Bearer ${tokens[who].token}` };

  let auth: Partial<AuthConfig> | undefined;

  beforeAll(async () => {
    if (opts.appPrefix) useAppPrefix(`${opts.prefix}app:`);
    const entries = Object.entries(tokens) as [W, TokenCaller][];
    const users = Object.entries(opts.users ?? {});
    const passwordHash = users.length ? await hashPassword(USER_PASSWORD) : "";
    auth =
      entries.length || users.length
        ? {
            ...(users.length ? { users: users.map(([username, role]) => ({ username, role, passwordHash })) } : {}),
            tokens: entries.map(([who, t]) => ({
              name: t.name ?? who,
              role: t.role,
              tokenHash: hashToken(t.token),
              ...(t.streams ? { streams: t.streams } : {}),
            })),
            sessionSecret: TEST_SESSION_SECRET,
          }
        : undefined;
    useConfig({ ...(auth ? { auth } : {}), ...opts.config });
    invalidateSettingsCache();
  });

  afterAll(async () => {
    await cleanPrefix(opts.redis, opts.prefix);
    await closeRedis();
    delete process.env.STREAMSCOPE_CONFIG;
    resetProcessState();
  });

  const call = <T>(handler: unknown, params: Record<string, string>, who: W | null, body?: unknown) =>
    callRoute<T>(handler as Handler, "/api/x", { params, body, headers: headers(who) });

  const authSection = (): Partial<AuthConfig> => {
    if (!auth) throw new Error("tokenCallers: no auth section (no tokens or users), or read before beforeAll");
    return auth;
  };

  return { call, headers, auth: authSection };
}
