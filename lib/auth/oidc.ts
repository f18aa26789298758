import "server-only";
import * as client from "openid-client";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { recordAnonymousAudit, recordAudit } from "@/lib/audit/audit";
import { getAuth, type ResolvedAuth, type ResolvedOidc } from "./config";
import { sessionCookie } from "./login";
import { clientIp, isLoopbackHostname, isSecureRequest } from "./request-checks";
import { safeNextPath } from "./next-path";
import { highestRole, type Role } from "./roles";
import { OIDC_TXN_COOKIE, readCookie, serializeCookie, signValue, verifyValue, clearCookie } from "./session";
import { processState } from "@/lib/runtime/state";

/**
 * OpenID Connect sign-in with openid-client: authorization code flow with PKCE, state and nonce.
 * The transaction (verifier, state, nonce) rides in a short-lived signed cookie that is
 * SameSite=Lax, because the provider's redirect back to us is a cross-site navigation.
 */
const TXN_PATH = "/api/auth/oidc";
const TXN_SECONDS = 600;

interface Txn {
  v: string;
  s: string;
  n: string;
  redirect: string;
  next: string;
  exp: number;
}

const discovered = processState<{ key: string; config: Promise<client.Configuration> } | undefined>(
  "oidc",
  () => undefined,
);

function oidcConfig(oidc: ResolvedOidc): Promise<client.Configuration> {
  const key = `${oidc.issuer}|${oidc.clientId}|${oidc.clientSecret}`;
  const cached = discovered.value;
  if (cached && cached.key === key) return cached.config;
  const issuer = new URL(oidc.issuer);
  // Plain http is accepted only for a provider on loopback (tests, local development).
  const insecure = issuer.protocol === "http:" && isLoopbackHostname(issuer.hostname);
  const config = client.discovery(
    issuer,
    oidc.clientId,
    oidc.clientSecret,
    undefined,
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  discovered.value = { key, config };
  config.catch((err: unknown) => {
    log.warn({ err: (err as Error).message, issuer: oidc.issuer }, "OIDC discovery failed");
    if (discovered.value?.config === config) discovered.value = undefined;
  });
  return config;
}

function requireOidc(auth: ResolvedAuth): ResolvedOidc {
  if (!auth.oidc) throw new AppError("NOT_FOUND", "Single sign-on is not configured");
  return auth.oidc;
}

function baseUrl(req: Request, auth: ResolvedAuth): string {
  if (auth.publicUrl) return auth.publicUrl.origin;
  const host = req.headers.get("host") ?? new URL(req.url).host;
  return `${isSecureRequest(req, auth) ? "https" : "http"}://${host}`;
}

export async function startOidcLogin(req: Request): Promise<Response> {
  const auth = getAuth();
  const oidc = requireOidc(auth);
  const config = await oidcConfig(oidc).catch(() => {
    throw new AppError("TIMEOUT", "The sign-on provider is unreachable");
  });
  const verifier = client.randomPKCECodeVerifier();
  const txn: Txn = {
    v: verifier,
    s: client.randomState(),
    n: client.randomNonce(),
    redirect: `${baseUrl(req, auth)}/api/auth/oidc/callback`,
    next: safeNextPath(new URL(req.url).searchParams.get("next")),
    exp: Math.floor(Date.now() / 1000) + TXN_SECONDS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: txn.redirect,
    scope: oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: txn.s,
    nonce: txn.n,
  });
  const cookie = serializeCookie(OIDC_TXN_COOKIE, signValue(auth.sessionKey, "oidc-txn", txn), {
    maxAgeSeconds: TXN_SECONDS,
    secure: isSecureRequest(req, auth),
    sameSite: "Lax",
    path: TXN_PATH,
  });
  return new Response(null, {
    status: 302,
    headers: { location: url.href, "set-cookie": cookie, "cache-control": "no-store" },
  });
}

export function rolesFromClaims(
  claims: Record<string, unknown>,
  oidc: Pick<ResolvedOidc, "rolesClaim" | "roles" | "defaultRole">,
): Role | null {
  const raw = claims[oidc.rolesClaim];
  const values = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[,\s]+/) : [];
  const mapped = values.flatMap((v) => (typeof v === "string" && oidc.roles[v] ? [oidc.roles[v]] : []));
  return highestRole(mapped) ?? oidc.defaultRole ?? null;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tiny page: the callback cannot redirect straight on, or the Strict session cookie is held back. */
function htmlPage(status: number, title: string, message: string, next?: string, setCookies: string[] = []): Response {
  const refresh = next ? `<meta http-equiv="refresh" content="0;url=${escapeHtml(next)}">` : "";
  const link = next ? `<a href="${escapeHtml(next)}">Continue</a>` : `<a href="/login">Back to the login page</a>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}<title>${escapeHtml(title)} · Streamscope</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p>${link}</p></body></html>`;
  const headers = new Headers({ "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  for (const c of setCookies) headers.append("set-cookie", c);
  return new Response(html, { status, headers });
}

export async function finishOidcLogin(req: Request): Promise<Response> {
  const auth = getAuth();
  const oidc = requireOidc(auth);
  const secure = isSecureRequest(req, auth);
  const clearTxn = clearCookie(OIDC_TXN_COOKIE, secure, TXN_PATH);
  const txn = verifyValue<Txn>(auth.sessionKey, "oidc-txn", readCookie(req, OIDC_TXN_COOKIE));
  if (!txn)
    return htmlPage(
      400,
      "Sign-in expired",
      "The sign-in took too long or started in another browser. Try again.",
      undefined,
      [clearTxn],
    );
  const config = await oidcConfig(oidc);
  const current = new URL(txn.redirect);
  current.search = new URL(req.url).search;
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: txn.v,
      expectedState: txn.s,
      expectedNonce: txn.n,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
    if (claims[oidc.rolesClaim] === undefined && typeof claims.sub === "string") {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      claims = { ...info, ...claims };
    }
  } catch (err) {
    log.warn({ err: (err as Error).message }, "OIDC callback rejected");
    return htmlPage(
      400,
      "Sign-in failed",
      "The sign-on provider's answer could not be verified. Try again.",
      undefined,
      [clearTxn],
    );
  }
  const user = String(claims.preferred_username ?? claims.email ?? claims.sub ?? "unknown").slice(0, 200);
  const role = rolesFromClaims(claims, oidc);
  // Signed in at the provider but granted no role here: a refusal of an anonymous caller.
  await (role ? recordAudit : recordAnonymousAudit)({
    time: Date.now(),
    who: user,
    role,
    method: "oidc",
    ip: clientIp(req),
    userAgent: req.headers.get("user-agent") ?? "",
    action: "login",
    touched: null,
    result: role ? "ok" : "denied",
    status: role ? 200 : 403,
  });
  if (!role) {
    return htmlPage(
      403,
      "No access",
      `You signed in as ${user}, but none of your ${oidc.rolesClaim} grants a Streamscope role. Ask an admin to map one.`,
      undefined,
      [clearTxn],
    );
  }
  const session = sessionCookie(req, auth, { u: user, m: "oidc", r: role });
  return htmlPage(200, "Signed in", `Signed in as ${user} (${role}).`, safeNextPath(txn.next), [clearTxn, session]);
}
