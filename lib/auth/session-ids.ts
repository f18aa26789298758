import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { appKey } from "@/lib/redis/app-keys";
import { getConnection, isConnectionError } from "@/lib/redis/client";
import { log, safeErr } from "@/lib/log";
import { processState } from "@/lib/runtime/state";

/**
 * Server-side side of sessions. Every session cookie carries a random session id (`sid`); logout
 * records that id as ended (`<prefix>session-ended:<sid>`, expiring with the cookie), so the
 * cookie is refused from then on, on every instance. A password session also carries a
 * fingerprint of the user's passwordHash (`ph`): a changed hash in the config ends it.
 *
 * Checking costs one EXISTS per session and CHECK_TTL_MS, answered from a bounded in-memory
 * cache in between. While Redis is away the check is skipped (logged): nothing can be read or
 * changed without Redis anyway, and the signature and password fingerprint still apply.
 */
const CHECK_TTL_MS = 5_000;
const MAX_CACHED = 10_000;
const SID = /^[A-Za-z0-9_-]{16,64}$/;

// Process-wide: proxy.ts and the route handlers are separate bundles in one process.
const sessionCache = processState("session-cache", () => new Map<string, { ended: boolean; until: number }>());

export function newSessionId(): string {
  return randomBytes(16).toString("base64url");
}

export function isSessionId(value: unknown): value is string {
  return typeof value === "string" && SID.test(value);
}

/** A short keyed fingerprint of a password hash: changes when the hash changes, reveals nothing. */
export function passwordFingerprint(sessionKey: Buffer, passwordHash: string): string {
  return createHmac("sha256", sessionKey).update(`password.${passwordHash}`).digest("base64url").slice(0, 22);
}

function remember(sid: string, ended: boolean, ttlMs: number): void {
  if (sessionCache.value.size >= MAX_CACHED) sessionCache.value.clear();
  sessionCache.value.set(sid, { ended, until: Date.now() + ttlMs });
}

export async function sessionEnded(sid: string): Promise<boolean> {
  const hit = sessionCache.value.get(sid);
  if (hit && hit.until > Date.now()) return hit.ended;
  try {
    const ended = (await (await getConnection()).exists(appKey("session-ended", sid))) === 1;
    remember(sid, ended, ended ? 60 * 60_000 : CHECK_TTL_MS);
    return ended;
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    log.warn({ err: safeErr(err) }, "session revocation not checked: Redis is unreachable");
    return false;
  }
}

/** Ends a session for good: refused on this instance at once, on the others within CHECK_TTL_MS. */
export async function endSession(sid: string, expiresAtSeconds: number): Promise<void> {
  remember(sid, true, 60 * 60_000);
  const ttlMs = Math.max(1000, expiresAtSeconds * 1000 - Date.now());
  await (await getConnection()).set(appKey("session-ended", sid), "1", "PX", ttlMs);
}
