import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Role } from "./roles";

/**
 * Signed cookies: `base64url(JSON payload).base64url(HMAC-SHA256)`. The session cookie carries
 * who and how, and a session id that logout ends server-side (lib/auth/session-ids.ts); a local
 * user's role is looked up again on every request so that removing a user from the config file
 * ends their session.
 */
export const SESSION_COOKIE = "streamscope_session";
export const OIDC_TXN_COOKIE = "streamscope_oidc";

export interface SessionPayload {
  /** user name */
  u: string;
  /** how they logged in */
  m: "password" | "oidc";
  /** role, for OIDC (local users get theirs from the config file) */
  r?: Role;
  /** expiry, unix seconds */
  exp: number;
  /** session id (lib/auth/session-ids.ts) */
  sid?: string;
  /** fingerprint of the password hash the session was opened with (password sessions) */
  ph?: string;
}

function sign(key: Buffer, purpose: string, data: string): Buffer {
  return createHmac("sha256", key).update(`${purpose}.${data}`).digest();
}

export function signValue(key: Buffer, purpose: string, payload: object): string {
  const data = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${data}.${sign(key, purpose, data).toString("base64url")}`;
}

/** The payload when the signature is good and `exp` (unix seconds) is in the future, else null. */
export function verifyValue<T extends { exp: number }>(
  key: Buffer,
  purpose: string,
  value: string | undefined,
  now = Date.now(),
): T | null {
  if (!value || value.length > 8192) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const data = value.slice(0, dot);
  const mac = Buffer.from(value.slice(dot + 1), "base64url");
  const expected = sign(key, purpose, data);
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return null;
  try {
    const payload = JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as T;
    if (typeof payload !== "object" || payload === null || typeof payload.exp !== "number") return null;
    if (payload.exp * 1000 <= now) return null;
    return payload;
  } catch {
    return null;
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
  sameSite: "Strict" | "Lax";
  path?: string;
}

export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${opts.path ?? "/"}`,
    `Max-Age=${opts.maxAgeSeconds}`,
    "HttpOnly",
    `SameSite=${opts.sameSite}`,
    ...(opts.secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearCookie(name: string, secure: boolean, path = "/"): string {
  return serializeCookie(name, "", { maxAgeSeconds: 0, secure, sameSite: "Strict", path });
}
