import "server-only";
import { randomBytes } from "node:crypto";
import { getFileConfig } from "@/lib/config/load";
import type { AuthConfig } from "@/lib/contract/config";
import { log } from "@/lib/log";
import type { Role } from "./roles";
import { isScryptHash } from "./password";
import { isTokenHash } from "./token-hash";
import { processState } from "@/lib/runtime/state";

/**
 * The auth section of the config file with `env:NAME` references resolved. Auth comes from the
 * file and the environment only, never from Redis: nobody with Redis access can grant a role.
 */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

export interface ResolvedUser {
  username: string;
  role: Role;
  passwordHash: string;
  streams?: string[];
}

export interface ResolvedToken {
  name: string;
  role: Role;
  tokenHash: string;
  streams?: string[];
}

export interface ResolvedOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  rolesClaim: string;
  roles: Record<string, Role>;
  defaultRole?: Role;
  scopes: string;
}

export interface ResolvedTrustedProxy {
  userHeader: string;
  groupsHeader: string;
  secretHeader: string;
  secret: string;
  roles: Record<string, Role>;
  defaultRole?: Role;
}

export interface ResolvedAuth {
  /** True as soon as any of users, tokens, oidc or trustedProxy is configured. */
  enabled: boolean;
  users: ResolvedUser[];
  tokens: ResolvedToken[];
  oidc?: ResolvedOidc;
  trustedProxy?: ResolvedTrustedProxy;
  metricsToken?: string;
  readOnly: boolean;
  sessionKey: Buffer;
  sessionMaxAgeSeconds: number;
  publicUrl?: URL;
  allowedHosts: string[];
}

export const DEFAULT_SESSION_SECONDS = 8 * 3600;

export function resolveSecret(value: string, what: string): string {
  if (!value.startsWith("env:")) return value;
  const name = value.slice(4);
  const resolved = process.env[name];
  if (resolved === undefined || resolved === "") {
    throw new AuthConfigError(`auth.${what} names the environment variable ${name}, which is not set`);
  }
  return resolved;
}

function scopeList(streams: string | string[] | undefined): string[] | undefined {
  if (streams === undefined) return undefined;
  return Array.isArray(streams) ? streams : [streams];
}

function envReadOnly(): boolean {
  const v = process.env.READ_ONLY?.toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

const authCache = processState<{ source: AuthConfig | undefined; env: string; resolved: ResolvedAuth } | undefined>(
  "auth",
  () => undefined,
);
const sessionKey = processState<Buffer | undefined>("random-session-key", () => undefined, { keepOnReset: true });

function randomSessionKey(warn: boolean): Buffer {
  if (!sessionKey.value) {
    sessionKey.value = randomBytes(32);
    if (warn) log.warn("auth.sessionSecret is not set: using a random key, so sessions end when the server restarts");
  }
  return sessionKey.value;
}

export function resolveAuth(auth: AuthConfig | undefined): ResolvedAuth {
  const users = (auth?.users ?? []).map((u, i) => {
    const passwordHash = resolveSecret(u.passwordHash, `users[${i}].passwordHash`);
    if (!isScryptHash(passwordHash)) {
      throw new AuthConfigError(`auth.users[${i}].passwordHash is not a hash made by \`npm run hash-secret\``);
    }
    return { username: u.username, role: u.role, passwordHash, streams: scopeList(u.streams) };
  });
  const tokens = (auth?.tokens ?? []).map((t, i) => {
    const tokenHash = resolveSecret(t.tokenHash, `tokens[${i}].tokenHash`);
    if (!isTokenHash(tokenHash) && !isScryptHash(tokenHash)) {
      throw new AuthConfigError(`auth.tokens[${i}].tokenHash is not a hash made by \`npm run hash-secret -- --token\``);
    }
    return { name: t.name, role: t.role, tokenHash, streams: scopeList(t.streams) };
  });
  const oidc = auth?.oidc
    ? {
        issuer: auth.oidc.issuer,
        clientId: auth.oidc.clientId,
        clientSecret: resolveSecret(auth.oidc.clientSecret, "oidc.clientSecret"),
        rolesClaim: auth.oidc.rolesClaim,
        roles: auth.oidc.roles,
        defaultRole: auth.oidc.defaultRole,
        scopes: auth.oidc.scopes ?? `openid profile email ${auth.oidc.rolesClaim}`,
      }
    : undefined;
  let trustedProxy: ResolvedTrustedProxy | undefined;
  if (auth?.trustedProxy) {
    const tp = auth.trustedProxy;
    // Next.js fills X-Forwarded-For only when the client did not send one, so a route cannot
    // learn the socket's address reliably: proxy addresses alone would be spoofable.
    if (!tp.secret || !tp.secretHeader) {
      throw new AuthConfigError(
        "auth.trustedProxy needs secretHeader and secret: the peer address cannot be verified inside Next.js, so `addresses` alone is not accepted",
      );
    }
    if (tp.addresses?.length)
      log.warn("auth.trustedProxy.addresses is not enforced (see docs/security.md); the shared secret is");
    trustedProxy = {
      userHeader: tp.userHeader.toLowerCase(),
      groupsHeader: tp.groupsHeader.toLowerCase(),
      secretHeader: tp.secretHeader.toLowerCase(),
      secret: resolveSecret(tp.secret, "trustedProxy.secret"),
      roles: tp.roles,
      defaultRole: tp.defaultRole,
    };
  }
  const metricsToken = auth?.metricsToken ? resolveSecret(auth.metricsToken, "metricsToken") : undefined;
  let publicUrl: URL | undefined;
  if (auth?.publicUrl) {
    try {
      publicUrl = new URL(auth.publicUrl);
    } catch {
      throw new AuthConfigError("auth.publicUrl is not a URL");
    }
  }
  const sessionSecret = auth?.sessionSecret ? resolveSecret(auth.sessionSecret, "sessionSecret") : undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new AuthConfigError("auth.sessionSecret must be at least 32 characters");
  }
  const enabled = users.length > 0 || tokens.length > 0 || !!oidc || !!trustedProxy;
  return {
    enabled,
    users,
    tokens,
    oidc,
    trustedProxy,
    metricsToken,
    readOnly: (auth?.readOnly ?? false) || envReadOnly(),
    sessionKey: sessionSecret ? Buffer.from(sessionSecret, "utf8") : randomSessionKey(enabled),
    sessionMaxAgeSeconds: auth?.sessionMaxAgeSeconds ?? DEFAULT_SESSION_SECONDS,
    publicUrl,
    allowedHosts: (auth?.allowedHosts ?? []).map((h) => h.toLowerCase()),
  };
}

/** The effective auth settings (cached per config file and READ_ONLY value). */
export function getAuth(): ResolvedAuth {
  const source = getFileConfig().auth;
  const env = process.env.READ_ONLY ?? "";
  const cached = authCache.value;
  if (cached && cached.source === source && cached.env === env) return cached.resolved;
  const resolved = resolveAuth(source);
  authCache.value = { source, env, resolved };
  return resolved;
}
