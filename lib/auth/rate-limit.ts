import "server-only";
import { createHash } from "node:crypto";
import { appKey } from "@/lib/redis/app-keys";
import { getConnection } from "@/lib/redis/client";

/**
 * Login attempts, counted in Redis under the app prefix so that every instance shares them (in
 * memory while Redis is away). The client address is the socket's (lib/auth/request-checks.ts
 * clientIp), never a header the client sets.
 *
 * - Per address + username: an attempt is *reserved* (counted) before the password is hashed,
 *   so parallel tries cannot overtake the count; a success clears it. Over the limit → 429.
 * - Per username, failures from every address: over the limit, only addresses with no recent
 *   attempt for that user may still try. Attackers spread over many addresses are slowed to one
 *   guess per address and window, while the owner, from an address without failures, still logs in.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILS_PER_IP_USER = 10;
export const MAX_FAILS_PER_USER = 100;

const memory = new Map<string, { count: number; resetAt: number }>();

function keysFor(ip: string, username: string): { ipUser: string; user: string } {
  const user = createHash("sha256").update(username).digest("hex").slice(0, 32);
  // Both keys carry the user's hash as a hash tag: one MULTI touches both, on a Redis Cluster too.
  return {
    ipUser: appKey("login-fails", "ip-user", ip, `{${user}}`),
    user: appKey("login-fails", "user", `{${user}}`),
  };
}

function memoryCount(key: string, increment: boolean): number {
  const now = Date.now();
  let slot = memory.get(key);
  if (!slot || slot.resetAt <= now) {
    if (!increment) return 0;
    if (memory.size > 10_000) memory.clear();
    slot = { count: 0, resetAt: now + LOGIN_WINDOW_MS };
    memory.set(key, slot);
  }
  if (increment) slot.count++;
  return slot.count;
}

/** Reserves one attempt for this address + username; false when it must be refused (429). */
export async function reserveLoginAttempt(ip: string, username: string): Promise<boolean> {
  const keys = keysFor(ip, username);
  let mine: number;
  let userFails: number;
  try {
    const res = await (
      await getConnection()
    )
      .multi()
      .incr(keys.ipUser)
      .pexpire(keys.ipUser, LOGIN_WINDOW_MS, "NX")
      .get(keys.user)
      .exec();
    if (!res || res.some(([err]) => err)) throw new Error("login counter transaction failed");
    mine = Number(res[0]![1]);
    userFails = Number(res[2]![1] ?? 0);
  } catch {
    mine = memoryCount(keys.ipUser, true);
    userFails = memoryCount(keys.user, false);
  }
  if (mine > MAX_FAILS_PER_IP_USER) return false;
  return userFails < MAX_FAILS_PER_USER || mine === 1;
}

export async function recordLoginFailure(ip: string, username: string): Promise<void> {
  const { user } = keysFor(ip, username);
  try {
    await (await getConnection()).multi().incr(user).pexpire(user, LOGIN_WINDOW_MS, "NX").exec();
  } catch {
    memoryCount(user, true);
  }
}

/** A successful login frees this address's attempts for the user. */
export async function clearLoginFailures(ip: string, username: string): Promise<void> {
  const { ipUser } = keysFor(ip, username);
  memory.delete(ipUser);
  await getConnection()
    .then((redis) => redis.del(ipUser))
    .catch(() => undefined);
}

/**
 * Failed checks of bearer tokens against slow (scrypt) token hashes, per address: each costs tens
 * of milliseconds, so an address gets MAX_SLOW_TOKEN_MISSES per window. Fast (sha256) token hashes
 * need no limit.
 */
export const MAX_SLOW_TOKEN_MISSES = 10;

export async function reserveSlowTokenCheck(ip: string): Promise<boolean> {
  const key = appKey("token-fails", ip);
  try {
    const res = await (await getConnection()).multi().incr(key).pexpire(key, LOGIN_WINDOW_MS, "NX").exec();
    if (!res || res.some(([err]) => err)) throw new Error("token counter transaction failed");
    return Number(res[0]![1]) <= MAX_SLOW_TOKEN_MISSES;
  } catch {
    return memoryCount(key, true) <= MAX_SLOW_TOKEN_MISSES;
  }
}
