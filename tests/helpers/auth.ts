/**
 * Auth for integration tests: writes a temp config file, points STREAMSCOPE_CONFIG at it and
 * resets the caches; mints session cookies and headers for each kind of caller.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetProcessState } from "@/lib/runtime/state";
import { SESSION_COOKIE, signValue } from "@/lib/auth/session";
import type { AuthConfig } from "@/lib/contract/config";
import { PEER_HEADER, peerKey } from "@/lib/auth/socket";

export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef0123456789";

const dir = mkdtempSync(join(tmpdir(), "streamscope-auth-"));
let n = 0;

export function useConfig(config: { auth?: Partial<AuthConfig> } & Record<string, unknown>): string {
  const path = join(dir, `config-${n++}.json`);
  writeFileSync(path, JSON.stringify(config));
  process.env.STREAMSCOPE_CONFIG = path;
  resetProcessState();
  return path;
}

export function useAppPrefix(prefix: string): void {
  process.env.STREAMSCOPE_PREFIX = prefix;
  resetProcessState();
}

export function sessionCookieHeader(
  payload: { u: string; m: "password" | "oidc"; r?: string; ph?: string },
  secret = TEST_SESSION_SECRET,
): string {
  const value = signValue(Buffer.from(secret, "utf8"), "session", {
    ...payload,
    sid: randomBytes(16).toString("base64url"),
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  return `${SESSION_COOKIE}=${value}`;
}

export const SAME_ORIGIN = { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" };
export const CROSS_ORIGIN = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };

/** Headers as the socket hook (lib/auth/socket.ts) writes them for a request from `ip`. */
export function fromAddress(ip: string): Record<string, string> {
  return { [PEER_HEADER]: `${peerKey()} ${ip}` };
}
