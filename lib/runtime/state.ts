/**
 * Every piece of process-wide state, kept in one registry on globalThis: Next.js hot reload
 * re-evaluates modules, and proxy.ts and the route handlers are separate bundles in one
 * process, so state held in a module variable would be duplicated (two Redis connections, two
 * schedulers). Imports nothing of the app.
 *
 * The slots (name: owner):
 *  - redis, redis-write, redis-cluster, redis-cluster-write: lib/redis/client.ts (connections;
 *    closed by closeRedis(), kept by a reset)
 *  - env: lib/env.ts (validated process.env)
 *  - config-file: lib/config/load.ts (the parsed config file, per path)
 *  - settings: lib/config/settings.ts (effective settings, 2 s)
 *  - auth: lib/auth/config.ts (resolved auth, per config file and READ_ONLY)
 *  - random-session-key: lib/auth/config.ts (kept by a reset: sessions signed with it stay valid)
 *  - session-cache: lib/auth/session-ids.ts (ended sessions, 5 s)
 *  - oidc: lib/auth/oidc.ts (the provider's discovered configuration)
 *  - peer-key, socket-hook: lib/auth/socket.ts (kept by a reset: the hook is installed once)
 *  - scheduler: lib/worker/scheduler.ts (the running interval; stopped by its stop())
 *  - worker-memo: lib/worker/tick-streams.ts (per job, each stream's fingerprint when last left alone)
 *  - instance-id: lib/worker/lock.ts (this process's lock holder name, kept by a reset)
 *  - webhooks: lib/alerts/webhook.ts (the delivery queue, kept by a reset; tests swap it)
 *  - tail: lib/streams/tail.ts (live-tail hubs and limits, kept by a reset)
 *  - shared-reads: lib/runtime/shared-read.ts (answers of identical reads, about a second)
 *  - stream-index: lib/streams/stream-index.ts (the stream keys per connection; an index whose
 *    slot was reset stops its walk and its notification subscriptions)
 *
 * Module caches that cannot go stale stay in their modules (pure memoization, or keyed weakly
 * by the object they describe): lib/shared/glob.ts (compiled globs), lib/shared/family-periods.ts
 * (Intl formatters per time zone), lib/redis/tls.ts (TLS options per env object),
 * lib/redis/client.ts (last TLS error per connection), lib/auth/identity.ts (token hashes),
 * lib/auth/password.ts (the dummy hash), lib/auth/scope.ts (identity per request),
 * lib/audit/audit.ts (MAC keys per secret), lib/streams/stuck-snapshot.ts (the last stuck snapshot
 * parsed per connection, checked against the head of the kept text on every read).
 * lib/auth/rate-limit.ts keeps its in-memory counters per module (the fallback when Redis is down).
 */

interface Slot {
  value: unknown;
  init: () => unknown;
  keepOnReset: boolean;
}

export interface ProcessState<T> {
  value: T;
}

const registry = globalThis as unknown as { __streamscopeState?: Map<string, Slot> };
const slots = (registry.__streamscopeState ??= new Map<string, Slot>());

/**
 * The named slot, created with `init()` the first time in this process (a module evaluated again
 * gets the same slot back). `keepOnReset`: state that holds a resource or an identity, which
 * resetProcessState() leaves alone.
 */
export function processState<T>(name: string, init: () => T, opts: { keepOnReset?: boolean } = {}): ProcessState<T> {
  let slot = slots.get(name);
  if (!slot) {
    slot = { value: init(), init, keepOnReset: opts.keepOnReset ?? false };
    slots.set(name, slot);
  }
  return slot as Slot & ProcessState<T>;
}

/** Tests: every cache back to its initial value (after changing process.env or the config file). */
export function resetProcessState(): void {
  for (const slot of slots.values()) if (!slot.keepOnReset) slot.value = slot.init();
}
