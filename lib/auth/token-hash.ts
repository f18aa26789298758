import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API tokens are 32 random bytes: unguessable, so a fast hash (SHA-256) is as safe as a slow one
 * (nobody can brute-force 2^256 candidates), and it keeps per-request verification cheap. Passwords
 * are chosen by people and guessable, so they get scrypt instead (lib/auth/password.ts).
 */
export const TOKEN_HASH_PREFIX = "sha256:";

export function hashToken(token: string): string {
  return TOKEN_HASH_PREFIX + createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return `ssk_${randomBytes(32).toString("base64url")}`;
}

export function isTokenHash(value: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(value);
}

/** Constant-time comparison of two strings (lengths are hashed first, so they always match). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
