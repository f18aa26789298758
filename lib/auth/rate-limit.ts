import "server-only";
import { createHash } from "node:crypto";
import { appKey } from "@/lib/redis/app-keys";
import { getRedis } from "@/lib/redis/client";

/**
 * Failed logins per IP+username (and per username overall, since the IP is only as good as
 * X-Forwarded-For): counted in Redis under the app prefix so that every instance shares them,
 * in memory while Redis is away.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILS_PER_IP_USER = 10;
export const MAX_FAILS_PER_USER = 100;

const memory = new Map<string, { count: number; resetAt: number }>();

function keysFor(ip: string, username: string): { key: string; max: number }[] {
  const user = createHash("sha256").update(username).digest("hex").slice(0, 32);
  return [
    { key: appKey("login-fails", "ip-user", ip, user), max: MAX_FAILS_PER_IP_USER },
    { key: appKey("login-fails", "user", user), max: MAX_FAILS_PER_USER },
  ];
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

/** True when this IP+username may try again now. */
export async function loginAllowed(ip: string, username: string): Promise<boolean> {
  const keys = keysFor(ip, username);
  try {
    const counts = await getRedis().mget(...keys.map((k) => k.key));
    return keys.every((k, i) => Number(counts[i] ?? 0) < k.max);
  } catch {
    return keys.every((k) => memoryCount(k.key, false) < k.max);
  }
}

export async function recordLoginFailure(ip: string, username: string): Promise<void> {
  const keys = keysFor(ip, username);
  try {
    const pipe = getRedis().multi();
    for (const k of keys) pipe.incr(k.key).pexpire(k.key, LOGIN_WINDOW_MS, "NX");
    await pipe.exec();
  } catch {
    for (const k of keys) memoryCount(k.key, true);
  }
}

export async function clearLoginFailures(ip: string, username: string): Promise<void> {
  const [ipUser] = keysFor(ip, username);
  memory.delete(ipUser!.key);
  await getRedis()
    .del(ipUser!.key)
    .catch(() => undefined);
}
