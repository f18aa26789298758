import "server-only";
import { getAuth, type ResolvedAuth } from "./config";
import { isScryptHash, verifyPassword } from "./password";
import { highestRole, type Role } from "./roles";
import { readCookie, SESSION_COOKIE, verifyValue, type SessionPayload } from "./session";
import { hashToken, safeEqual } from "./token-hash";
import { isSessionId, passwordFingerprint, sessionEnded } from "./session-ids";
import { reserveSlowTokenCheck } from "./rate-limit";
import { clientIp } from "./request-checks";

export type AuthMethod = "local-mode" | "password" | "oidc" | "proxy" | "token" | "metrics-token";

export interface Identity {
  user: string;
  role: Role;
  method: AuthMethod;
  /** Stream globs this identity may see; undefined means every stream. */
  streams?: string[];
}

export const LOCAL_IDENTITY: Identity = { user: "local", role: "admin", method: "local-mode" };

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.get("authorization");
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

// Tokens hashed with scrypt (allowed, not recommended) are verified once per token value, and an
// address gets a few misses per window (lib/auth/rate-limit.ts), so unknown tokens stay cheap.
const scryptTokenCache = new Map<string, string | null>();

async function tokenIdentity(req: Request, token: string, auth: ResolvedAuth): Promise<Identity | null> {
  const digest = hashToken(token);
  let match = auth.tokens.find((t) => !isScryptHash(t.tokenHash) && safeEqual(t.tokenHash, digest));
  if (!match && auth.tokens.some((t) => isScryptHash(t.tokenHash))) {
    const cacheKey = digest + "|" + auth.tokens.length;
    let name = scryptTokenCache.get(cacheKey);
    if (name === undefined) {
      if (!(await reserveSlowTokenCheck(clientIp(req, auth)))) return null;
      name = null;
      for (const t of auth.tokens) {
        if (isScryptHash(t.tokenHash) && (await verifyPassword(token, t.tokenHash))) name = t.name;
      }
      if (scryptTokenCache.size > 1000) scryptTokenCache.clear();
      scryptTokenCache.set(cacheKey, name);
    }
    match = name === null ? undefined : auth.tokens.find((t) => t.name === name);
  }
  if (!match) return null;
  return {
    user: `token:${match.name}`,
    role: match.role,
    method: "token",
    ...(match.streams ? { streams: match.streams } : {}),
  };
}

function proxyIdentity(req: Request, auth: ResolvedAuth): Identity | null | undefined {
  const tp = auth.trustedProxy;
  if (!tp) return undefined;
  const user = req.headers.get(tp.userHeader);
  if (!user) return undefined;
  const secret = req.headers.get(tp.secretHeader);
  if (!secret || !safeEqual(secret, tp.secret)) return null;
  const groups = (req.headers.get(tp.groupsHeader) ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  const role = highestRole(groups.flatMap((g) => (tp.roles[g] ? [tp.roles[g]] : []))) ?? tp.defaultRole ?? null;
  if (!role) return null;
  return { user: user.slice(0, 200), role, method: "proxy" };
}

async function sessionIdentity(req: Request, auth: ResolvedAuth): Promise<Identity | null> {
  const payload = verifyValue<SessionPayload>(auth.sessionKey, "session", readCookie(req, SESSION_COOKIE));
  if (!payload || typeof payload.u !== "string" || !isSessionId(payload.sid)) return null;
  if (await sessionEnded(payload.sid)) return null;
  if (payload.m === "password") {
    const user = auth.users.find((u) => u.username === payload.u);
    if (!user) return null;
    if (payload.ph !== undefined && payload.ph !== passwordFingerprint(auth.sessionKey, user.passwordHash)) return null;
    return {
      user: user.username,
      role: user.role,
      method: "password",
      ...(user.streams ? { streams: user.streams } : {}),
    };
  }
  if (payload.m === "oidc" && auth.oidc && payload.r) {
    return { user: payload.u, role: payload.r, method: "oidc" };
  }
  return null;
}

export interface AuthenticateOptions {
  /** The route accepts auth.metricsToken as a bearer token. */
  metricsToken?: boolean;
}

/**
 * Who is asking, or null when nobody (valid) is. In local mode (no auth configured) everyone on
 * loopback is the local admin. A presented but wrong credential is null, never a fallback to
 * another method.
 */
export async function authenticate(
  req: Request,
  opts: AuthenticateOptions = {},
  auth = getAuth(),
): Promise<Identity | null> {
  const token = bearerToken(req);
  if (token !== undefined) {
    if (opts.metricsToken && auth.metricsToken && safeEqual(token, auth.metricsToken)) {
      return { user: "metrics", role: "viewer", method: "metrics-token" };
    }
    if (!auth.enabled) return LOCAL_IDENTITY;
    return tokenIdentity(req, token, auth);
  }
  if (!auth.enabled) return LOCAL_IDENTITY;
  const proxied = proxyIdentity(req, auth);
  if (proxied !== undefined) return proxied;
  return sessionIdentity(req, auth);
}
