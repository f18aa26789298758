import "server-only";
import type Redis from "ioredis";
import type { StreamEntry } from "@/lib/contract/entries";
import { TAIL_MAX_PER_EVENT } from "@/lib/contract/tail";
import { AppError } from "@/lib/errors";
import { log, safeErr } from "@/lib/log";
import { duplicateConnection, getConnection } from "@/lib/redis/client";
import { isCluster, nodeAddress, type RedisConnection } from "@/lib/redis/connection";
import { slotOf } from "@/lib/redis/slots";
import { toAppError } from "@/lib/redis/errors";
import { assertStream } from "./assert-stream";
import { decodeListEntries, type ListEntry } from "./codec";
import { BatchSizer, valueLimits } from "./answer-limits";
import { chooseStateGroups, streamAndGroups, withStates } from "./entries";
import { lastEntryOf, parseStreamInfo } from "./xinfo";
import { processState } from "@/lib/runtime/state";

/**
 * The live-tail hub: one blocking `XREAD BLOCK` loop per tailed stream, on a dedicated
 * connection (on a Redis Cluster, to the master that serves the stream's slot), shared by every
 * listener of that stream in this instance. The loop reads at most `maxPerEvent` entries per round,
 * fewer when entries are big (about READ_BYTES per read, sized by the entries seen last, starting
 * with the stream's last entry), and `maxPerSecond` per second; when the stream grows faster it
 * jumps to the newest entries and reports how many it skipped, so nothing piles up in memory.
 * It stops and closes its connection when the last listener leaves.
 */

export interface TailBatch {
  entries: StreamEntry[];
  /** Entries added before these that no listener will see (the producer outran the limits). */
  skipped: number;
}

export interface TailListener {
  onBatch(batch: TailBatch): void;
  /** The loop stopped for good (key deleted, wrong type, Redis gone); the listener is dropped. */
  onError(err: AppError): void;
}

export interface TailLimits {
  maxStreams: number;
  maxListeners: number;
  maxPerEvent: number;
  maxPerSecond: number;
  /** Pause between two reads, so a trickle of entries is sent in batches. */
  minIntervalMs: number;
  blockMs: number;
}

export const DEFAULT_TAIL_LIMITS: TailLimits = {
  maxStreams: 50,
  maxListeners: 500,
  maxPerEvent: TAIL_MAX_PER_EVENT,
  maxPerSecond: 200,
  minIntervalMs: 200,
  blockMs: 2000,
};

/** The client name of tail connections (`CLIENT LIST` shows it). */
export const TAIL_CONNECTION_NAME = "streamscope-tail";

interface Hub {
  key: string;
  listeners: Set<TailListener>;
  /** The shared connection, for the non-blocking reads. */
  redis: RedisConnection;
  /** The dedicated connection the blocking XREAD runs on. */
  conn: Redis;
  lastId: string;
  /** entries-added of the stream as of `lastId` (null on servers without it). */
  added: number | null;
  /** COUNT of the next read, from the bytes of the entries read last. */
  sizer: BatchSizer;
  stopped: boolean;
  windowStart: number;
  sentInWindow: number;
  lastReadAt: number;
}

const state = processState("tail", () => ({ hubs: new Map<string, Hub>(), limits: { ...DEFAULT_TAIL_LIMITS } }), {
  keepOnReset: true,
}).value;

/** Tests lower the limits; returns the previous ones. */
export function setTailLimits(limits: Partial<TailLimits>): TailLimits {
  const previous = state.limits;
  state.limits = { ...previous, ...limits };
  return previous;
}

export function tailStats(): { streams: number; listeners: number } {
  let listeners = 0;
  for (const hub of state.hubs.values()) listeners += hub.listeners.size;
  return { streams: state.hubs.size, listeners };
}

export interface Subscription {
  /** The id the shared loop had reached when this listener joined: batches follow it. */
  position: string;
  unsubscribe(): void;
}

/** Joins (or starts) the stream's loop. 404 / 409 for a missing key or another type, 429 past the caps. */
export async function subscribe(key: string, listener: TailListener): Promise<Subscription> {
  const { limits } = state;
  if (tailStats().listeners >= limits.maxListeners) {
    throw new AppError("TAIL_LIMIT", `This instance already serves ${limits.maxListeners} live tails; try again later`);
  }
  let hub = state.hubs.get(key);
  if (!hub) {
    if (state.hubs.size >= limits.maxStreams) {
      throw new AppError(
        "TAIL_LIMIT",
        `This instance already tails ${limits.maxStreams} streams live; try again later`,
      );
    }
    const redis = await getConnection();
    await assertStream(redis, key);
    const reply = await redis.call("XINFO", "STREAM", key);
    const info = parseStreamInfo(reply);
    // Another request may have started the loop while this one waited.
    hub = state.hubs.get(key);
    if (!hub) {
      hub = startHub(redis, key, info.lastGeneratedId, info.entriesAdded);
      const last = lastEntryOf(reply);
      if (last) hub.sizer.seen([[last]], 1);
    }
  }
  const joined = hub;
  joined.listeners.add(listener);
  return {
    position: joined.lastId,
    unsubscribe: () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0) stopHub(joined);
    },
  };
}

/**
 * A new connection for the blocking XREAD: a Cluster client cannot block one node's connection
 * for one key, so on a cluster it is a copy of the connection to the master serving the key's slot
 * (known once a command on the key has been answered). When the slot moves, the XREAD fails with
 * MOVED and the tail stops with that error; a viewer reconnects to the new node.
 */
function blockingConnection(redis: RedisConnection, key: string): Redis {
  const options = { connectionName: TAIL_CONNECTION_NAME, lazyConnect: false };
  if (!isCluster(redis)) return duplicateConnection(options);
  const address = redis.slots[slotOf(key)]?.[0];
  const node = redis.nodes("master").find((n) => nodeAddress(n) === address);
  if (!node) throw new AppError("REDIS_UNAVAILABLE", `No Redis Cluster master is known for the slot of "${key}"`);
  return node.duplicate(options);
}

function startHub(redis: RedisConnection, key: string, lastId: string, added: number | null): Hub {
  const conn = blockingConnection(redis, key);
  conn.on("error", () => {
    /* reported through the failing XREAD */
  });
  const hub: Hub = {
    key,
    listeners: new Set(),
    redis,
    conn,
    lastId,
    added,
    sizer: new BatchSizer(),
    stopped: false,
    windowStart: 0,
    sentInWindow: 0,
    lastReadAt: 0,
  };
  state.hubs.set(key, hub);
  void loop(hub);
  return hub;
}

function stopHub(hub: Hub): void {
  if (hub.stopped) return;
  hub.stopped = true;
  if (state.hubs.get(hub.key) === hub) state.hubs.delete(hub.key);
  // disconnect, not quit: QUIT would wait behind the blocked XREAD.
  hub.conn.disconnect();
}

function fail(hub: Hub, err: unknown): void {
  if (hub.stopped) return;
  const appErr = tailError(err);
  const listeners = [...hub.listeners];
  hub.listeners.clear();
  stopHub(hub);
  for (const l of listeners) {
    try {
      l.onError(appErr);
    } catch (e) {
      log.warn({ err: safeErr(e) }, "tail listener failed");
    }
  }
}

/** The error a tail's viewers see: Redis's errors through the one translator, anything else logged. */
function tailError(err: unknown): AppError {
  const known = toAppError(err);
  if (known instanceof AppError) return known;
  log.error({ err: safeErr(err) }, "live tail loop failed");
  return new AppError("INTERNAL", "The live tail stopped (logged on the server)");
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits out the per-second budget and the pause between reads. */
async function pace(hub: Hub, limits: TailLimits): Promise<void> {
  let now = Date.now();
  if (now - hub.windowStart >= 1000) {
    hub.windowStart = now;
    hub.sentInWindow = 0;
  }
  if (hub.sentInWindow >= limits.maxPerSecond) {
    await sleep(hub.windowStart + 1000 - now);
    now = Date.now();
    hub.windowStart = now;
    hub.sentInWindow = 0;
  }
  const wait = hub.lastReadAt + limits.minIntervalMs - now;
  if (wait > 0) await sleep(wait);
}

async function loop(hub: Hub): Promise<void> {
  while (!hub.stopped) {
    const limits = state.limits;
    try {
      await pace(hub, limits);
      if (hub.stopped) return;
      hub.lastReadAt = Date.now();
      const count = hub.sizer.next(limits.maxPerEvent);
      const reply = await hub.conn.xreadBuffer("COUNT", count, "BLOCK", limits.blockMs, "STREAMS", hub.key, hub.lastId);
      if (hub.stopped) return;
      const first = Array.isArray(reply) ? (reply[0] as unknown[] | undefined) : undefined;
      let raw = decodeListEntries(first?.[1], valueLimits());
      hub.sizer.seen([first?.[1]], raw.length);
      if (raw.length === 0) {
        // XREAD keeps blocking on a deleted key: check now and then that it is still a stream.
        await assertStream(hub.redis, hub.key);
        continue;
      }
      let skipped = 0;
      if (raw.length >= count)
        ({ raw, skipped } = await jumpToNewest(hub, raw, hub.sizer.next(limits.maxPerEvent), limits.maxPerEvent));
      else if (hub.added !== null) hub.added += raw.length;
      const last = raw[raw.length - 1]!;
      hub.lastId = last.id;
      hub.sentInWindow += raw.length;
      const entries = await statesOf(hub.redis, hub.key, raw);
      if (hub.stopped) return;
      for (const l of [...hub.listeners]) {
        try {
          l.onBatch({ entries, skipped });
        } catch (e) {
          log.warn({ err: safeErr(e) }, "tail listener failed");
        }
      }
    } catch (err) {
      if (hub.stopped) return;
      fail(hub, err);
      return;
    }
  }
}

/**
 * A full read means a backlog: rather than fall further behind, read the newest entries (at most
 * `max`, sized like the reads) and the stream's entries-added counter in one MULTI; the ones in
 * between are counted as skipped.
 */
async function jumpToNewest(
  hub: Hub,
  raw: ListEntry[],
  max: number,
  maxPerEvent: number,
): Promise<{ raw: ListEntry[]; skipped: number }> {
  const lastRead = raw[raw.length - 1]!.id;
  const replies =
    (await hub.redis
      .multi()
      .xrevrangeBuffer(hub.key, "+", `(${lastRead}`, "COUNT", max)
      .call("XINFO", "STREAM", hub.key)
      .exec()) ?? [];
  const [rangeErr, range] = replies[0] ?? [null, []];
  const [infoErr, infoReply] = replies[1] ?? [null, null];
  if (rangeErr) throw rangeErr;
  if (infoErr) throw infoErr;
  const newest = decodeListEntries(range, valueLimits()).reverse();
  hub.sizer.seen([range], newest.length);
  if (newest.length === 0) {
    if (hub.added !== null) hub.added += raw.length;
    return { raw, skipped: 0 };
  }
  const added = parseStreamInfo(infoReply).entriesAdded;
  // The newest follow the read ones with nothing in between (a read cut short by the entries'
  // size, or the first read of a stream whose size was unknown): no backlog, all of them go.
  if (
    hub.added !== null &&
    added !== null &&
    added - hub.added <= raw.length + newest.length &&
    raw.length + newest.length <= maxPerEvent
  ) {
    hub.added = added;
    return { raw: [...raw, ...newest], skipped: 0 };
  }
  // Without entries-added (or after deletions) the exact gap is unknown: count what we know.
  const skipped =
    hub.added !== null && added !== null ? Math.max(raw.length, added - newest.length - hub.added) : raw.length;
  hub.added = added;
  return { raw: newest, skipped };
}

async function statesOf(redis: RedisConnection, key: string, raw: ListEntry[]): Promise<StreamEntry[]> {
  const { chosen: groups } = chooseStateGroups(await streamAndGroups(redis, key));
  const { entries } = await withStates(redis, key, groups, raw, { lower: raw[0]!.id, upper: raw[raw.length - 1]!.id });
  return entries;
}
