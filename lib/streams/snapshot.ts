import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { resolveGroupRule } from "@/lib/config/resolve";
import type { GroupRuleConfig } from "@/lib/contract/config";
import { countIdlePending, type IdleCount, type IdleCountTarget } from "@/lib/pending/idle-count";
import { isAppKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, resumeSlice, type PipelineResult, type StoredSlice } from "@/lib/redis/keyspace";
import { readConsumersMany, type ConsumerList } from "./consumers";
import { intOrNull } from "./row-build";
import { compareIds, idToTimeMs, isValidId } from "@/lib/contract/ids";
import {
  parseGroups,
  parsePendingRange,
  parseStreamInfo,
  type ConsumerInfo,
  type GroupInfo,
  type PendingEntry,
  type StreamInfo,
} from "./xinfo";

/*
 * The read model for many streams: every per-key XINFO STREAM / XINFO GROUPS / XPENDING read
 * over a list of keys goes through this module, pipelined by lib/redis/keyspace.ts.
 *
 * Error policy. A key deleted, or replaced by another type, between SCAN and the read is not an
 * error of the batch: readStreams reports it per key (`state: "gone"` or `"wrong-type"`) and
 * callers decide what to do with it (every list leaves it out); a group or key gone before its
 * XPENDING reads as "nothing pending". PTTL and MEMORY USAGE are extras: a server that refuses
 * them (MEMORY disabled on some managed Redis) gives null. Every other error (connection, NOPERM,
 * an unexpected reply error) is thrown for the whole batch, never swallowed.
 */

export type KeyState = "stream" | "gone" | "wrong-type";

export interface KeyRead {
  key: string;
  /** From the XINFO replies: with neither asked for, "stream" (a PTTL of -2 tells a missing key). */
  state: KeyState;
  /** XINFO STREAM (no FULL), when asked for and the key is a stream. */
  info: StreamInfo | null;
  /** XINFO GROUPS, when asked for; each lag bounded by `info` when that was read too. */
  groups: GroupInfo[] | null;
  /** PTTL reply (-1 no expiry), when asked for; null when refused. */
  pttl: number | null;
  /** MEMORY USAGE (default sampling), when asked for; null when refused. */
  memory: number | null;
}

export interface ReadParts {
  info?: boolean;
  groups?: boolean;
  ttl?: boolean;
  memory?: boolean;
  /** Keys per pipelined round trip. */
  chunkKeys?: number;
}

/** A reply error that says the key or group is no longer what was listed. */
function vanished(err: Error): KeyState | null {
  if (/WRONGTYPE/.test(err.message)) return "wrong-type";
  if (/no such key|NOGROUP/i.test(err.message)) return "gone";
  return null;
}

function extra(res: PipelineResult | undefined): number | null {
  return res && !res[0] ? intOrNull(res[1]) : null;
}

/** Per key, one pipelined read of the parts asked for (see the error policy above). */
export async function readStreams(
  redis: RedisConnection,
  keys: readonly string[],
  parts: ReadParts,
): Promise<KeyRead[]> {
  if (keys.length === 0) return [];
  const replies = await pipelineForKeys(
    redis,
    keys,
    (pipe, key) => {
      if (parts.info) pipe.call("XINFO", "STREAM", key);
      if (parts.groups) pipe.call("XINFO", "GROUPS", key);
      if (parts.ttl) pipe.pttl(key);
      if (parts.memory) pipe.call("MEMORY", "USAGE", key);
    },
    parts.chunkKeys,
  );
  return keys.map((key, i) => {
    const r = replies[i] ?? [];
    let at = 0;
    const infoRes = parts.info ? r[at++] : undefined;
    const groupsRes = parts.groups ? r[at++] : undefined;
    const ttlRes = parts.ttl ? r[at++] : undefined;
    const memRes = parts.memory ? r[at++] : undefined;
    const read: KeyRead = { key, state: "stream", info: null, groups: null, pttl: null, memory: null };
    for (const res of [infoRes, groupsRes]) {
      const err = res?.[0];
      if (!err) continue;
      const state = vanished(err);
      if (!state) throw err;
      read.state = state;
    }
    if (read.state !== "stream") return read;
    if (infoRes) read.info = parseStreamInfo(infoRes[1]);
    if (groupsRes) read.groups = parseGroups(groupsRes[1], read.info ?? undefined);
    if (parts.ttl) read.pttl = extra(ttlRes);
    if (parts.memory) read.memory = extra(memRes);
    return read;
  });
}

/** The keys that are streams, as read (gone and wrong-type keys left out). */
export function streamsOnly(reads: readonly KeyRead[]): KeyRead[] {
  return reads.filter((r) => r.state === "stream");
}

export interface GroupRef {
  stream: string;
  group: string;
}

/** Each group's oldest pending entry by id (`XPENDING key group - + 1`, O(log n)); null when none or gone. */
export async function readOldestPending(
  redis: RedisConnection,
  groups: readonly GroupRef[],
  chunkKeys?: number,
): Promise<(PendingEntry | null)[]> {
  let at = 0;
  const replies = await pipelineForKeys(
    redis,
    groups.map((g) => g.stream),
    (pipe, key) => {
      pipe.call("XPENDING", key, groups[at++]!.group, "-", "+", "1");
    },
    chunkKeys,
  );
  return replies.map(([res]) => {
    if (!res) return null;
    const [err, value] = res;
    if (err) {
      if (vanished(err)) return null;
      throw err;
    }
    return parsePendingRange(value)[0] ?? null;
  });
}

export interface UndeliveredRef extends GroupRef {
  lastDeliveredId: string;
}

/** True when the stream holds an entry after the group's last-delivered-id (the one XRANGE is worth sending). */
export function hasUndelivered(lastEntryId: string | null, lastDeliveredId: string): boolean {
  return lastEntryId !== null && isValidId(lastDeliveredId) && compareIds(lastDeliveredId, lastEntryId) < 0;
}

/**
 * Each group's oldest entry not yet delivered: the one right after its last-delivered-id
 * (`XRANGE key (id + COUNT 1`, O(log n)). Its id, or null when there is none (or the key is gone).
 */
export async function readFirstUndelivered(
  redis: RedisConnection,
  groups: readonly UndeliveredRef[],
  chunkKeys?: number,
): Promise<(string | null)[]> {
  let at = 0;
  const replies = await pipelineForKeys(
    redis,
    groups.map((g) => g.stream),
    (pipe, key) => {
      pipe.call("XRANGE", key, `(${groups[at++]!.lastDeliveredId}`, "+", "COUNT", "1");
    },
    chunkKeys,
  );
  return replies.map(([res]) => {
    if (!res) return null;
    const [err, value] = res;
    if (err) {
      if (vanished(err)) return null;
      throw err;
    }
    const first = Array.isArray(value) ? (value[0] as [unknown, unknown] | undefined) : undefined;
    return typeof first?.[0] === "string" && isValidId(first[0]) ? first[0] : null;
  });
}

/** Age of an entry from its id's time, never negative; 0 for none. */
export function idAgeMs(id: string | null, now: number): number {
  return id === null ? 0 : Math.max(0, now - idToTimeMs(id));
}

/** Stuck counts (pending entries idle at least each group's threshold), with bounded PEL reads: lib/pending/idle-count.ts. */
export function readStuckCounts(
  redis: RedisConnection,
  targets: readonly IdleCountTarget[],
  budget: { perGroupBudget?: number; totalBudget?: number },
): Promise<IdleCount[]> {
  return countIdlePending(redis, targets, budget);
}

/** PEL entries read per group to count stuck messages in a snapshot (plain XPENDING ranges, no IDLE option). */
export const STUCK_SCAN_BUDGET = 1000;

export interface StuckInfo {
  /** Pending messages idle at least the threshold among those read. */
  count: number;
  /** The budget ran out before the end of the PEL: `count` is a lower bound. */
  capped: boolean;
  maxIdleMs: number;
}

export interface GroupSnapshot {
  name: string;
  consumerCount: number;
  pending: number;
  lag: number | null;
  entriesRead: number | null;
  lastDeliveredId: string;
  /** Age of the oldest entry not yet delivered (from its id), 0 when none; absent when not read (option off). */
  lagMs?: number;
  stuckAfterMs: number;
  /** Oldest pending message by id: its age from the id's time, and its idle time. */
  oldestPending: { id: string; ageMs: number; idleMs: number } | null;
  /** null when not checked (option off). */
  stuck: StuckInfo | null;
  /** The most delivered pending message among the PEL entries read (oldest by id and the stuck scan's); null when none read. */
  mostDelivered: PendingEntry | null;
  /** null when not fetched (option off); over the consumer cap, only the pending owners. */
  consumers: ConsumerInfo[] | null;
  /** How the consumers were listed, and how many were left out; null when not fetched. */
  consumersListed: ConsumerList["listed"] | null;
  consumersOmitted: number;
}

export interface StreamSnapshot {
  key: string;
  length: number;
  entriesAdded: number | null;
  lastGeneratedId: string;
  /** Id of the newest entry; null for an empty stream. */
  lastEntryId?: string | null;
  /** ms until expiry; null without a TTL. */
  ttlMs: number | null;
  groups: GroupSnapshot[];
}

export interface SnapshotOptions {
  groupRules: readonly GroupRuleConfig[];
  now: number;
  consumers?: boolean;
  stuck?: boolean;
  /** Groups looked at in depth, over all streams (the rest keep their XINFO GROUPS numbers). */
  maxGroups?: number;
  /** PEL entries read per group to count stuck messages (default STUCK_SCAN_BUDGET). */
  stuckScanBudget?: number;
  /** Each group's lag in time (`lagMs`): one `XRANGE key (last-delivered-id + COUNT 1` per group behind. */
  lagAge?: boolean;
}

/**
 * One bounded look at a set of streams, shared by the alert rules, the history sampler and the
 * metrics endpoint. Per stream: XINFO STREAM (no FULL), XINFO GROUPS, PTTL in one pipeline; per
 * group with pending (at most `maxGroups`): XPENDING - + 1 (oldest by id); optionally the
 * consumers (capped: ./consumers.ts) and stuck messages counted over at most STUCK_SCAN_BUDGET
 * PEL entries per group; optionally the lag in time (readFirstUndelivered, at most `maxGroups`
 * groups). Keys that are gone or not streams are left out.
 */
export async function snapshotStreams(
  redis: RedisConnection,
  keys: readonly string[],
  opts: SnapshotOptions,
): Promise<StreamSnapshot[]> {
  if (keys.length === 0) return [];
  const reads = streamsOnly(await readStreams(redis, keys, { info: true, groups: true, ttl: true }));
  const streams: StreamSnapshot[] = reads.map(({ key, info, groups, pttl }) => ({
    key,
    length: info!.length,
    entriesAdded: info!.entriesAdded,
    lastGeneratedId: info!.lastGeneratedId,
    lastEntryId: info!.lastEntryId,
    ttlMs: pttl !== null && pttl >= 0 ? pttl : null,
    groups: groups!.map<GroupSnapshot>((g) => ({
      name: g.name,
      consumerCount: g.consumerCount,
      pending: g.pending,
      lag: g.lag,
      entriesRead: g.entriesRead,
      lastDeliveredId: g.lastDeliveredId,
      stuckAfterMs: resolveGroupRule(opts.groupRules, key, g.name).stuckAfterMs,
      oldestPending: null,
      stuck: null,
      mostDelivered: null,
      consumers: null,
      consumersListed: null,
      consumersOmitted: 0,
    })),
  }));

  const maxGroups = opts.maxGroups ?? 5000;
  if (opts.lagAge) await addLagAge(redis, streams, maxGroups, opts.now);
  const deep: { stream: StreamSnapshot; group: GroupSnapshot }[] = [];
  for (const stream of streams) {
    for (const group of stream.groups) {
      if (deep.length >= maxGroups) break;
      if (group.pending > 0 || opts.consumers) deep.push({ stream, group });
    }
  }
  if (deep.length === 0) return streams;

  const oldest = await readOldestPending(
    redis,
    deep.map(({ stream, group }) => ({ stream: stream.key, group: group.name })),
  );
  oldest.forEach((first, i) => {
    const { group } = deep[i]!;
    if (first && isValidId(first.id)) {
      group.oldestPending = { id: first.id, ageMs: Math.max(0, opts.now - idToTimeMs(first.id)), idleMs: first.idleMs };
    }
    group.mostDelivered = first;
  });
  if (opts.consumers) {
    const lists = await readConsumersMany(
      redis,
      deep.map(({ stream, group }) => ({ stream: stream.key, group: group.name, consumerCount: group.consumerCount })),
    );
    lists.forEach((l, i) => {
      const { group } = deep[i]!;
      group.consumers = l.consumers;
      group.consumersListed = l.listed;
      group.consumersOmitted = l.omitted;
    });
  }

  if (opts.stuck) await addStuck(redis, deep, opts.stuckScanBudget ?? STUCK_SCAN_BUDGET);
  return streams;
}

async function addLagAge(
  redis: RedisConnection,
  streams: readonly StreamSnapshot[],
  maxGroups: number,
  now: number,
): Promise<void> {
  const behind: { stream: StreamSnapshot; group: GroupSnapshot }[] = [];
  const groups = streams.flatMap((stream) => stream.groups.map((group) => ({ stream, group }))).slice(0, maxGroups);
  for (const { stream, group } of groups) {
    if (hasUndelivered(stream.lastEntryId ?? null, group.lastDeliveredId)) behind.push({ stream, group });
    else group.lagMs = 0;
  }
  if (behind.length === 0) return;
  const ids = await readFirstUndelivered(
    redis,
    behind.map(({ stream, group }) => ({
      stream: stream.key,
      group: group.name,
      lastDeliveredId: group.lastDeliveredId,
    })),
  );
  ids.forEach((id, i) => {
    behind[i]!.group.lagMs = idAgeMs(id, now);
  });
}

async function addStuck(
  redis: RedisConnection,
  deep: { stream: StreamSnapshot; group: GroupSnapshot }[],
  budget: number,
): Promise<void> {
  const candidates = deep.filter(({ group }) => {
    group.stuck = { count: 0, capped: false, maxIdleMs: 0 };
    return group.pending > 0;
  });
  if (candidates.length === 0) return;
  // No id-range bound: idle can exceed an entry's age (XCLAIM IDLE/TIME), so the whole PEL
  // is eligible; at most `budget` entries of it are read per group.
  const counts = await readStuckCounts(
    redis,
    candidates.map(({ stream, group }) => ({
      stream: stream.key,
      group: group.name,
      minIdleMs: group.stuckAfterMs,
      pending: group.pending,
    })),
    { perGroupBudget: budget },
  );
  counts.forEach((c, i) => {
    const { group } = candidates[i]!;
    group.stuck = { count: c.count, capped: !c.complete, maxIdleMs: c.maxIdleMs };
    if (c.mostDelivered && c.mostDelivered.deliveries > (group.mostDelivered?.deliveries ?? 0))
      group.mostDelivered = c.mostDelivered;
  });
}

/**
 * The next streams (at most `max`, softly: a SCAN page is kept whole) of a rolling walk over the
 * key space, resumed from the cursor stored at `cursorKey` (see resumeSlice). App-owned keys are skipped.
 */
export function nextStreams(
  redis: RedisConnection,
  cursorKey: string,
  opts: { match: string; max: number; count?: number; maxPages: number },
): Promise<StoredSlice> {
  return resumeSlice(redis, cursorKey, {
    match: opts.match,
    type: "stream",
    maxKeys: opts.max,
    count: opts.count ?? Math.min(1000, Math.max(10, opts.max)),
    maxPages: opts.maxPages,
    skip: isAppKey,
  });
}
