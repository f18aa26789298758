import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { RedisConnection } from "@/lib/redis/connection";
import { workerKeys } from "./keys";
import { LuaScript } from "@/lib/redis/lua";
import { processState } from "@/lib/runtime/state";

/**
 * This process's id (host name, pid, random), shown as the lock holder. Process-wide state:
 * the server bundles this module more than once (the start-up hook that runs the scheduler,
 * the route handlers), and every copy must name the same holder.
 */
export const INSTANCE_ID = processState(
  "instance-id",
  () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`,
  { keepOnReset: true },
).value;

const RELEASE = new LuaScript(
  "release-lock",
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

const RENEW = new LuaScript(
  "renew-lock",
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
);

export interface LockHandle {
  token: string;
  ttlMs: number;
  /** Local time just before the SET that took the lock was sent: the lease ends at the latest `since + ttlMs`. */
  since: number;
}

/** The lock value is `<instance>|<random>`, so status can name the holder. */
export function lockHolder(value: string | null): string | null {
  if (!value) return null;
  const bar = value.lastIndexOf("|");
  return bar > 0 ? value.slice(0, bar) : value;
}

export async function tryAcquire(redis: RedisConnection, instance: string, ttlMs: number): Promise<LockHandle | null> {
  const token = `${instance}|${randomBytes(8).toString("hex")}`;
  const since = Date.now();
  const ok = await redis.set(workerKeys.lock(), token, "PX", ttlMs, "NX");
  return ok === "OK" ? { token, ttlMs, since } : null;
}

/** True while we still hold the lock (its expiry is pushed out again). */
export async function renew(redis: RedisConnection, lock: LockHandle): Promise<boolean> {
  return (await RENEW.run(redis, [workerKeys.lock()], [lock.token, lock.ttlMs])) === 1;
}

/** Deletes the lock only if it is still ours (never another tick's lock after ours expired). */
export async function release(redis: RedisConnection, lock: LockHandle): Promise<boolean> {
  return (await RELEASE.run(redis, [workerKeys.lock()], [lock.token])) === 1;
}

export async function readLock(redis: RedisConnection): Promise<{ holder: string | null; ttlMs: number | null }> {
  const [value, ttl] = await Promise.all([redis.get(workerKeys.lock()), redis.pttl(workerKeys.lock())]);
  return { holder: lockHolder(value), ttlMs: value && ttl > 0 ? ttl : null };
}

/**
 * Waits (polling) until the lock is free and takes it, or gives up after `waitMs`.
 * A lock left by a dead tick expires by itself; then the next tick gets it.
 */
export async function acquireWaiting(
  redis: RedisConnection,
  opts: { instance: string; ttlMs: number; waitMs: number; pollMs: number },
): Promise<{ lock: LockHandle | null; waitedMs: number; holder: string | null }> {
  const start = Date.now();
  let holder: string | null = null;
  for (let attempt = 0; ; attempt++) {
    const lock = await tryAcquire(redis, opts.instance, opts.ttlMs);
    if (lock) return { lock, waitedMs: attempt === 0 ? 0 : Date.now() - start, holder };
    holder = lockHolder(await redis.get(workerKeys.lock())) ?? holder;
    if (Date.now() - start >= opts.waitMs) return { lock: null, waitedMs: Date.now() - start, holder };
    await new Promise((r) => setTimeout(r, opts.pollMs));
  }
}
