import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { PipelineResult } from "@/lib/redis/keyspace";
import { getEnv } from "@/lib/env";
import { onSharedReadsCleared } from "@/lib/runtime/shared-read";
import { processState } from "@/lib/runtime/state";

/**
 * `XINFO GROUPS` replies read moments ago, per connection. The overview page asks for its rows and
 * its tiles at the same instant, and both read the groups of every stream listed: with this, the
 * second read takes the first one's replies instead of asking Redis again: while they are on their
 * way (the usual case: the two requests arrive together), or for RECENT_GROUPS_MS after they came.
 * Never when reads are not shared (`READ_CACHE_MS=0`); a change through this process forgets its
 * stream's reply (clearSharedReads), as it forgets its kept answers.
 */
export const RECENT_GROUPS_MS = 50;
const MAX_KEYS = 100_000;

interface Recent {
  /** When the read was sent. */
  at: number;
  /** When its reply came; Infinity while it is on its way. */
  settledAt: number;
  reply: Promise<PipelineResult | undefined>;
}

interface RecentGroups {
  byConnection: WeakMap<RedisConnection, Map<string, Recent>>;
  /** Replies read before these times are not reused: a change cleared them. */
  clearedAt: Map<string, number>;
  clearedAllAt: number;
}

const state = processState<RecentGroups>("recent-groups", () => ({
  byConnection: new WeakMap(),
  clearedAt: new Map(),
  clearedAllAt: 0,
}));

function forget(stream?: string): void {
  const recent = state.value;
  const now = Date.now();
  if (stream === undefined) {
    recent.clearedAllAt = now;
    recent.clearedAt.clear();
    return;
  }
  if (recent.clearedAt.size >= MAX_KEYS) {
    recent.clearedAllAt = now;
    recent.clearedAt.clear();
  }
  recent.clearedAt.set(stream, now);
}

/**
 * The groups replies of `keys` still recent enough (by key), and `keep(key, reply)` to offer a
 * reply being read now to the next caller. With `windowMs` 0, or while answers are not shared
 * (`READ_CACHE_MS=0`), nothing is reused or kept (`keep` null).
 */
export function recentGroups(
  redis: RedisConnection,
  keys: readonly string[],
  windowMs: number,
): {
  reused: Map<string, Promise<PipelineResult | undefined>>;
  keep: ((key: string, reply: Promise<PipelineResult | undefined>) => void) | null;
} {
  const reused = new Map<string, Promise<PipelineResult | undefined>>();
  if (windowMs <= 0 || getEnv().READ_CACHE_MS <= 0) return { reused, keep: null };
  onSharedReadsCleared(forget);
  const recent = state.value;
  let memo = recent.byConnection.get(redis);
  if (!memo) recent.byConnection.set(redis, (memo = new Map()));
  const now = Date.now();
  for (const key of keys) {
    const found = memo.get(key);
    if (!found) continue;
    const fresh =
      now - found.settledAt <= windowMs &&
      found.at > recent.clearedAllAt &&
      found.at > (recent.clearedAt.get(key) ?? 0);
    if (fresh) reused.set(key, found.reply);
    else memo.delete(key);
  }
  const kept = memo;
  return {
    reused,
    keep(key, reply) {
      if (kept.size >= MAX_KEYS) kept.clear();
      const entry: Recent = { at: now, settledAt: Infinity, reply };
      kept.set(key, entry);
      reply.then(
        () => (entry.settledAt = Date.now()),
        // A failed read is not offered again; its own caller sees the failure.
        () => {
          if (kept.get(key) === entry) kept.delete(key);
        },
      );
    },
  };
}
