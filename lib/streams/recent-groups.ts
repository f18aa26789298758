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

/** One pipelined read's groups replies, in the order of its keys. */
interface Batch {
  replies: Promise<(PipelineResult | undefined)[]>;
  /** When the replies came; Infinity while they are on their way. */
  settledAt: number;
}

interface Recent {
  /** When the read was sent. */
  at: number;
  batch: Batch;
  index: number;
}

/** A reply another caller is reading or has read: `index` in its batch. */
export interface SharedReply {
  batch: Batch;
  index: number;
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
 * The groups replies of `keys` still recent enough (by key), and `keep(keys, replies)` to offer the
 * replies of a read sent now (one promise for the whole read, in the order of `keys`) to the next
 * caller. With `windowMs` 0, or while answers are not shared (`READ_CACHE_MS=0`), nothing is reused
 * or kept (`keep` null).
 */
export function recentGroups(
  redis: RedisConnection,
  keys: readonly string[],
  windowMs: number,
): {
  reused: Map<string, SharedReply>;
  keep: ((keys: readonly string[], replies: Promise<(PipelineResult | undefined)[]>) => void) | null;
} {
  const reused = new Map<string, SharedReply>();
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
      now - found.batch.settledAt <= windowMs &&
      found.at > recent.clearedAllAt &&
      found.at > (recent.clearedAt.get(key) ?? 0);
    if (fresh) reused.set(key, found);
    else memo.delete(key);
  }
  const kept = memo;
  return {
    reused,
    keep(read, replies) {
      if (kept.size + read.length > MAX_KEYS) kept.clear();
      const batch: Batch = { replies, settledAt: Infinity };
      read.forEach((key, index) => kept.set(key, { at: now, batch, index }));
      replies.then(
        () => (batch.settledAt = Date.now()),
        // A failed read is not offered again; its own caller sees the failure.
        () => read.forEach((key) => kept.get(key)?.batch === batch && kept.delete(key)),
      );
    },
  };
}

/** The shared replies, by key, once each batch they come from has answered (one wait per batch). */
export async function sharedReplies(
  reused: ReadonlyMap<string, SharedReply>,
): Promise<Map<string, PipelineResult | undefined>> {
  const out = new Map<string, PipelineResult | undefined>();
  if (reused.size === 0) return out;
  const batches = [...new Set([...reused.values()].map((r) => r.batch))];
  const answered = new Map(await Promise.all(batches.map(async (b) => [b, await b.replies] as const)));
  for (const [key, { batch, index }] of reused) out.set(key, answered.get(batch)?.[index]);
  return out;
}
