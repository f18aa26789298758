import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { resolveGroupRule } from "@/lib/config/resolve";
import type { GroupRuleConfig } from "@/lib/contract/config";
import { countIdlePending, type IdleCount, type IdleCountTarget } from "@/lib/pending/idle-count";
import { MAX_PENDING_PAGE } from "@/lib/contract/pending";
import { isAppKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, readPttls, resumeSlice, type PipelineResult, type StoredSlice } from "@/lib/redis/keyspace";
import { readConsumersMany, type ConsumerList } from "./consumers";
import { intOrNull } from "./row-build";
import { compareIds, idToTimeMs, isValidId } from "@/lib/contract/ids";
import { processState } from "@/lib/runtime/state";
import { notFound } from "@/lib/errors";
import type { MemoryUnknown } from "@/lib/contract/streams";
import { assertStream } from "./assert-stream";
import { recentGroups, sharedReplies } from "./recent-groups";
import {
  endEntryBytes,
  ENTRY_FLOOR_BYTES,
  knownSmall,
  memoryFresh,
  readBounded,
  readStreamInfos,
  rememberSizes,
  reusableMemory,
  type SizeRead,
} from "./stream-info";
import { streamChangeKey } from "./change-key";
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
  /**
   * MEMORY USAGE (default sampling), when asked for (or XINFO STREAM was: it sizes that read); null
   * when refused, or for a stream whose groups have over MEMORY_USAGE_MAX_CONSUMERS consumers.
   */
  memory: number | null;
  /** Why `memory` is null, when a reason is known. */
  memoryUnknown: MemoryUnknown | null;
}

export interface ReadParts {
  info?: boolean;
  groups?: boolean;
  ttl?: boolean;
  memory?: boolean;
  /** Keys per pipelined round trip. */
  chunkKeys?: number;
  /** Take a groups reply read at most this long ago by another caller (./recent-groups.ts); 0 by default. */
  shareGroupsMs?: number;
}

/** A reply error that says the key or group is no longer what was listed. */
function vanished(err: Error): KeyState | null {
  if (/WRONGTYPE/.test(err.message)) return "wrong-type";
  if (/no such key|NOGROUP/i.test(err.message)) return "gone";
  return null;
}

/** The state an XINFO reply error says (null without an error); throws any other error. */
function replyState(res: PipelineResult | undefined): KeyState | null {
  const err = res?.[0];
  if (!err) return null;
  const state = vanished(err);
  if (!state) throw err;
  return state;
}

function extra(res: PipelineResult | undefined): number | null {
  return res && !res[0] ? intOrNull(res[1]) : null;
}

/**
 * MEMORY USAGE of a stream walks every consumer of its groups (16 ms inside Redis 8.0 for 100,000
 * consumers): above this many it is not sent, and the stream's memory is unknown (null).
 */
export const MEMORY_USAGE_MAX_CONSUMERS = 10_000;

/**
 * Per key, the parts asked for, pipelined (see the error policy above). XINFO STREAM comes in the
 * first round only for streams that were small at their last read here (./stream-info.ts). Then
 * MEMORY USAGE, only for a stream whose groups hold at most MEMORY_USAGE_MAX_CONSUMERS consumers
 * (counted from XINFO GROUPS, read in the first round), and for a stream small at its last read only
 * when its size is older than MEMORY_REUSE_MS or its change key (./change-key.ts) moved since: else
 * the remembered size. For the streams not known small, MEMORY USAGE sizes the rounds of XINFO
 * STREAM that follow.
 */
export async function readStreams(
  redis: RedisConnection,
  keys: readonly string[],
  parts: ReadParts,
): Promise<KeyRead[]> {
  if (keys.length === 0) return [];
  const now = Date.now();
  const memory = parts.memory || parts.info;
  const groupsRead = parts.groups || memory;
  const shared = recentGroups(redis, keys, groupsRead ? (parts.shareGroupsMs ?? 0) : 0);
  const early = new Set(memory ? keys.filter((key) => knownSmall(redis, key)) : []);
  const reading = pipelineForKeys(
    redis,
    keys,
    (pipe, key) => {
      if (parts.info && early.has(key)) pipe.call("XINFO", "STREAM", key);
      if (groupsRead && !shared.reused.has(key)) pipe.call("XINFO", "GROUPS", key);
    },
    parts.chunkKeys,
  );
  const ttlReading = parts.ttl ? readPttls(redis, keys) : null;
  if (shared.keep) {
    const fresh = keys.filter((key) => !shared.reused.has(key));
    const groupsReplies = reading.then((replies) =>
      keys.flatMap((key, i) => (shared.reused.has(key) ? [] : [replies[i]?.[parts.info && early.has(key) ? 1 : 0]])),
    );
    shared.keep(fresh, groupsReplies);
  }
  const [replies, reusedGroups, ttls] = await Promise.all([reading, sharedReplies(shared.reused), ttlReading]);
  const reads = keys.map((key, i) => {
    const r = replies[i] ?? [];
    let at = 0;
    const infoRes = parts.info && early.has(key) ? r[at++] : undefined;
    const groupsRes = !groupsRead ? undefined : shared.reused.has(key) ? reusedGroups.get(key) : r[at++];
    const read: KeyRead = {
      key,
      state: replyState(groupsRes) ?? replyState(infoRes) ?? "stream",
      info: null,
      groups: null,
      pttl: null,
      memory: null,
      memoryUnknown: null,
    };
    if (read.state === "stream" && ttls) read.pttl = extra(ttls[i]);
    const parsed: Parsed = {};
    return { read, groupsRes, infoRes, memoryRead: false, parsed };
  });

  // Known-small streams: the MEMORY USAGE remembered while it is fresh and nothing changed, else a new one.
  const resize = reads.filter(({ read, groupsRes, infoRes, parsed }) => {
    if (read.state !== "stream" || !early.has(read.key)) return false;
    if (!parts.info || !infoRes || infoRes[0] || !groupsRes || groupsRes[0] || !memoryFresh(redis, read.key, now))
      return true;
    const { changeKey } = parseRead(parsed, infoRes, groupsRes);
    const reused = changeKey === undefined ? undefined : reusableMemory(redis, read.key, changeKey);
    if (reused === undefined) return true;
    read.memory = reused;
    return false;
  });
  const later = reads.filter((r) => r.read.state === "stream" && memory && !early.has(r.read.key));
  // The consumer cap for known-small streams too: one may have gained many consumers since its last read.
  const sized = [...resize, ...later].filter(({ read, groupsRes }) => {
    if (consumersIn(groupsRes) <= MEMORY_USAGE_MAX_CONSUMERS) return true;
    read.memoryUnknown = "consumers";
    return false;
  });
  const sizes = await pipelineForKeys(
    redis,
    sized.map((r) => r.read.key),
    (pipe, key) => pipe.call("MEMORY", "USAGE", key),
    parts.chunkKeys,
  );
  sized.forEach((r, i) => {
    const res = sizes[i]?.[0];
    r.read.memory = extra(res);
    if (res?.[0]) r.read.memoryUnknown = "refused";
    r.memoryRead = true;
  });
  if (parts.info) {
    const infos = await readStreamInfos(
      redis,
      later.map(({ read }) => ({ key: read.key, memory: read.memory })),
      parts.chunkKeys,
    );
    later.forEach((r, i) => (r.infoRes = infos[i]));
  }

  const remembered: SizeRead[] = [];
  const out = reads.map(({ read, groupsRes, infoRes, memoryRead, parsed }) => {
    if (read.state !== "stream") return read;
    read.state = replyState(infoRes) ?? "stream";
    if (read.state !== "stream") return { ...read, pttl: null, memory: null, memoryUnknown: null };
    const { info, groups, changeKey } = parseRead(parsed, infoRes, groupsRes);
    read.info = info ?? null;
    if (parts.groups) read.groups = groups ?? null;
    if (info && changeKey !== undefined) {
      remembered.push({ key: read.key, length: info.length, memory: read.memory, changeKey, memoryRead });
    }
    return read;
  });
  rememberSizes(redis, remembered, now);
  return out;
}

/** A key's XINFO replies parsed, once, with its change key when both were read. */
interface Parsed {
  info?: StreamInfo;
  groups?: GroupInfo[];
  changeKey?: string;
}

function parseRead(parsed: Parsed, infoRes: PipelineResult | undefined, groupsRes: PipelineResult | undefined): Parsed {
  if (parsed.info === undefined && infoRes && !infoRes[0]) parsed.info = parseStreamInfo(infoRes[1]);
  if (parsed.groups === undefined && groupsRes && !groupsRes[0]) parsed.groups = parseGroups(groupsRes[1], parsed.info);
  if (parsed.changeKey === undefined && parsed.info && parsed.groups)
    parsed.changeKey = streamChangeKey(parsed.info, parsed.groups);
  return parsed;
}

/** The consumers of all the groups in an XINFO GROUPS reply (0 without one). */
function consumersIn(groupsRes: PipelineResult | undefined): number {
  if (!groupsRes || groupsRes[0]) return 0;
  return parseGroups(groupsRes[1]).reduce((n, g) => n + g.consumerCount, 0);
}

/** One stream's XINFO STREAM, bounded as in readStreams: 404 when the key is gone, 409 when it is no stream. */
export async function readStreamInfo(redis: RedisConnection, key: string): Promise<StreamInfo> {
  const [read] = await readStreams(redis, [key], { info: true });
  if (read?.info) return read.info;
  await assertStream(redis, key);
  throw notFound(`No stream named "${key}"`);
}

/** The keys that are streams, as read (gone and wrong-type keys left out). */
export function streamsOnly(reads: readonly KeyRead[]): KeyRead[] {
  return reads.filter((r) => r.state === "stream");
}

export interface GroupRef {
  stream: string;
  group: string;
}

/**
 * One command per group, pipelined by stream key (`chunkKeys` groups per round trip), each reply
 * parsed; null for a group whose key or group is gone (see the error policy above).
 */
async function readPerGroup<G extends GroupRef, T>(
  redis: RedisConnection,
  groups: readonly G[],
  command: (group: G) => [string, ...(string | number)[]],
  parse: (reply: unknown) => T | null,
  chunkKeys?: number,
  replyBytes: (group: G) => number = () => 0,
): Promise<(T | null)[]> {
  if (groups.length === 0) return [];
  const replies = await readBounded(
    redis,
    groups.map((g) => ({ key: g.stream, command: command(g), bytes: replyBytes(g) })),
    chunkKeys,
  );
  return replies.map((res) => {
    if (!res) return null;
    const [err, value] = res;
    if (err) {
      if (vanished(err)) return null;
      throw err;
    }
    return parse(value);
  });
}

/** Each group's oldest pending entry by id (`XPENDING key group - + 1`, O(log n)); null when none or gone. */
export function readOldestPending(
  redis: RedisConnection,
  groups: readonly GroupRef[],
  chunkKeys?: number,
): Promise<(PendingEntry | null)[]> {
  return readPerGroup(
    redis,
    groups,
    (g) => ["XPENDING", g.stream, g.group, "-", "+", "1"],
    (reply) => parsePendingRange(reply)[0] ?? null,
    chunkKeys,
  );
}

/**
 * Stuck counts of small pending lists: `XPENDING key group IDLE <minIdleMs> - <end> <pending>`
 * answers only the entries idle that long, so a reply holds the stuck entries instead of the
 * whole list. IDLE skips entries without counting them against COUNT: each call walks at most
 * the group's `pending` entries, and callers keep to lists of at most MAX_PENDING_PAGE.
 * null for a group or key that is gone.
 */
export function countStuckInSmallLists(
  redis: RedisConnection,
  targets: readonly IdleCountTarget[],
  chunkKeys?: number,
): Promise<(number | null)[]> {
  return readPerGroup(
    redis,
    targets,
    (t) => [
      "XPENDING",
      t.stream,
      t.group,
      "IDLE",
      t.minIdleMs,
      "-",
      t.end ?? "+",
      Math.min(t.pending, MAX_PENDING_PAGE),
    ],
    (reply) => (Array.isArray(reply) ? reply.length : 0),
    chunkKeys,
  );
}

export interface UndeliveredRef extends GroupRef {
  lastDeliveredId: string;
  /**
   * The stream's first entry id when it was read alongside (XINFO STREAM): a group behind it has
   * that entry as its oldest undelivered one, so it needs no XRANGE.
   */
  firstEntryId?: string | null;
  /** A guess of the stream's entries' bytes, when its size was read alongside (endEntryBytes in ./stream-info.ts). */
  entryBytes?: number;
}

/** True when the stream holds an entry after the group's last-delivered-id (the one XRANGE is worth sending). */
export function hasUndelivered(lastEntryId: string | null, lastDeliveredId: string): boolean {
  return lastEntryId !== null && isValidId(lastDeliveredId) && compareIds(lastDeliveredId, lastEntryId) < 0;
}

function firstEntryIfBehind(ref: UndeliveredRef): string | null {
  const first = ref.firstEntryId;
  return first && isValidId(first) && isValidId(ref.lastDeliveredId) && compareIds(ref.lastDeliveredId, first) < 0
    ? first
    : null;
}

/**
 * The entry right after a last-delivered-id found by an earlier read, per connection: entries are
 * only ever appended, so it stays the same until the group reads on (a new last-delivered-id, a new
 * memo key) or it is trimmed away (then the stream's first entry, which callers of the memo pass,
 * answers: firstEntryIfBehind). An
 * XDEL of that very entry leaves the lag in time reading its age until the group reads on.
 */
const undeliveredMemo = processState("first-undelivered", () => new WeakMap<RedisConnection, Map<string, string>>());
const UNDELIVERED_MEMO_MAX = 50_000;

function undeliveredMemoOf(redis: RedisConnection): Map<string, string> {
  let memo = undeliveredMemo.value.get(redis);
  if (!memo) undeliveredMemo.value.set(redis, (memo = new Map()));
  return memo;
}

/**
 * Each group's oldest entry not yet delivered: the one right after its last-delivered-id
 * (`XRANGE key (id + COUNT 1`, O(log n)), read once per last-delivered-id (memo above); for a group
 * behind the stream's first entry (given as `firstEntryId`), that entry, without a read. Its id, or
 * null when there is none (or the key is gone).
 */
export async function readFirstUndelivered(
  redis: RedisConnection,
  groups: readonly UndeliveredRef[],
  chunkKeys?: number,
): Promise<(string | null)[]> {
  const memo = undeliveredMemoOf(redis);
  const memoKey = (g: UndeliveredRef) => `${g.stream}\n${g.group}\n${g.lastDeliveredId}`;
  // The memo only where the stream's first entry came along: without it a trimmed entry would pass.
  const known = groups.map(
    (g) => firstEntryIfBehind(g) ?? (typeof g.firstEntryId === "string" ? memo.get(memoKey(g)) : undefined) ?? null,
  );
  const toRead = groups.filter((_, i) => known[i] === null);
  const read = await readPerGroup(
    redis,
    toRead,
    (g) => ["XRANGE", g.stream, `(${g.lastDeliveredId}`, "+", "COUNT", "1"],
    (reply) => {
      const first = Array.isArray(reply) ? (reply[0] as [unknown, unknown] | undefined) : undefined;
      // A reply guessed big comes as Buffers (./stream-info.ts).
      const id = Buffer.isBuffer(first?.[0]) ? first[0].toString() : first?.[0];
      return typeof id === "string" && isValidId(id) ? id : null;
    },
    chunkKeys,
    (g) => g.entryBytes ?? ENTRY_FLOOR_BYTES,
  );
  if (memo.size + toRead.length > UNDELIVERED_MEMO_MAX) memo.clear();
  toRead.forEach((g, i) => {
    const id = read[i];
    if (id) memo.set(memoKey(g), id);
  });
  let next = 0;
  return known.map((id) => id ?? read[next++] ?? null);
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

/** What a group's pending list says for a row or a tile: its oldest entry by id, and its stuck count. */
export interface PendingState {
  oldest: PendingEntry | null;
  stuck: IdleCount;
}

function wholePelRange(t: IdleCountTarget): string | null {
  if (t.end === undefined || t.end === "+") return "+";
  return isValidId(t.end) ? t.end : null;
}

/**
 * Each group's oldest pending entry (as readOldestPending) and stuck count (as readStuckCounts,
 * with the same budgets), the reads side by side. When the budgets cut no group short (every
 * group's pending count fits in its share), a group with at most MAX_PENDING_PAGE pending is read
 * whole in one `XPENDING key group - + <pending>`: its first row is the oldest, and the rows up to
 * its `end` are the ones the stuck count would have read, so the answer is the same with one
 * command instead of two, and the rows read stay within the total budget.
 */
export async function readPendingStates(
  redis: RedisConnection,
  targets: readonly IdleCountTarget[],
  budget: { perGroupBudget?: number; totalBudget?: number },
  chunkKeys?: number,
): Promise<PendingState[]> {
  const perGroup = budget.perGroupBudget ?? Infinity;
  const total = budget.totalBudget ?? Infinity;
  const wanted = targets.reduce((n, t) => n + Math.max(0, Math.min(t.pending, perGroup)), 0);
  const whole = (t: IdleCountTarget) =>
    wanted <= total && t.pending > 0 && t.pending <= Math.min(MAX_PENDING_PAGE, perGroup) && wholePelRange(t) !== null;
  const fused = targets.filter(whole);
  const rest = targets.filter((t) => !whole(t));
  const fusedRows = fused.reduce((n, t) => n + t.pending, 0);
  const [pels, oldest, counts] = await Promise.all([
    readPerGroup(
      redis,
      fused,
      (t) => ["XPENDING", t.stream, t.group, "-", "+", t.pending],
      (reply) => parsePendingRange(reply),
      chunkKeys,
    ),
    readOldestPending(redis, rest, chunkKeys),
    readStuckCounts(redis, rest, { perGroupBudget: budget.perGroupBudget, totalBudget: total - fusedRows }),
  ]);
  let f = 0;
  let r = 0;
  return targets.map((t) => {
    if (!whole(t)) {
      const i = r++;
      return { oldest: oldest[i] ?? null, stuck: counts[i]! };
    }
    const rows = pels[f++] ?? [];
    return { oldest: rows[0] ?? null, stuck: tallyIdle(rows, t) };
  });
}

/** The stuck count of a whole pending list read at once, as countIdlePending counts it (rows past `end` left out). */
function tallyIdle(rows: readonly PendingEntry[], t: IdleCountTarget): IdleCount {
  const end = wholePelRange(t);
  const tally: IdleCount = { count: 0, maxIdleMs: 0, scanned: 0, complete: true, mostDelivered: null };
  for (const e of rows) {
    if (end !== "+" && end !== null && compareIds(e.id, end) > 0) break;
    tally.scanned++;
    if (!tally.mostDelivered || e.deliveries > tally.mostDelivered.deliveries) tally.mostDelivered = e;
    if (e.idleMs < t.minIdleMs) continue;
    tally.count++;
    tally.maxIdleMs = Math.max(tally.maxIdleMs, e.idleMs);
  }
  return tally;
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
 * metrics endpoint. Per stream: XINFO STREAM (no FULL), XINFO GROUPS in one pipeline, PTTL beside
 * it (readPttls); per group with pending (at most `maxGroups`): XPENDING - + 1 (oldest by id);
 * optionally the consumers (capped: ./consumers.ts) and stuck messages counted over at most
 * STUCK_SCAN_BUDGET PEL entries per group; optionally the lag in time (readFirstUndelivered, at
 * most `maxGroups` groups). Keys that are gone or not streams are left out.
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
  const lagAge = opts.lagAge
    ? addLagAge(
        redis,
        streams,
        new Map(
          reads.map((r) => [
            r.key,
            { firstEntryId: r.info!.firstEntryId, entryBytes: endEntryBytes(r.memory, r.info!.length) },
          ]),
        ),
        maxGroups,
        opts.now,
      )
    : null;
  const deep: { stream: StreamSnapshot; group: GroupSnapshot }[] = [];
  for (const stream of streams) {
    for (const group of stream.groups) {
      if (deep.length >= maxGroups) break;
      if (group.pending > 0 || opts.consumers) deep.push({ stream, group });
    }
  }
  if (deep.length === 0) {
    await lagAge;
    return streams;
  }

  // The reads below do not depend on each other: one round trip's wait for all of them.
  const [{ oldest, stuck }, lists] = await Promise.all([
    readDeepPending(redis, deep, opts.stuck ? (opts.stuckScanBudget ?? STUCK_SCAN_BUDGET) : null),
    opts.consumers
      ? readConsumersMany(
          redis,
          deep.map(({ stream, group }) => ({
            stream: stream.key,
            group: group.name,
            consumerCount: group.consumerCount,
          })),
        )
      : null,
    lagAge,
  ]);
  oldest.forEach((first, i) => {
    const { group } = deep[i]!;
    if (first && isValidId(first.id)) {
      group.oldestPending = { id: first.id, ageMs: Math.max(0, opts.now - idToTimeMs(first.id)), idleMs: first.idleMs };
    }
    group.mostDelivered = first;
  });
  lists?.forEach((l, i) => {
    const { group } = deep[i]!;
    group.consumers = l.consumers;
    group.consumersListed = l.listed;
    group.consumersOmitted = l.omitted;
  });
  if (stuck) applyStuck(deep, stuck);
  return streams;
}

async function addLagAge(
  redis: RedisConnection,
  streams: readonly StreamSnapshot[],
  ends: ReadonlyMap<string, { firstEntryId: string | null; entryBytes: number }>,
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
      firstEntryId: ends.get(stream.key)?.firstEntryId ?? null,
      entryBytes: ends.get(stream.key)?.entryBytes,
    })),
  );
  ids.forEach((id, i) => {
    behind[i]!.group.lagMs = idAgeMs(id, now);
  });
}

/**
 * Each group's oldest pending entry and, with a budget, the stuck count of each group with pending
 * messages (null for the others) over at most `budget` PEL entries per group.
 */
async function readDeepPending(
  redis: RedisConnection,
  deep: readonly { stream: StreamSnapshot; group: GroupSnapshot }[],
  budget: number | null,
): Promise<{ oldest: (PendingEntry | null)[]; stuck: (IdleCount | null)[] | null }> {
  const refs = deep.map(({ stream, group }) => ({ stream: stream.key, group: group.name }));
  if (budget === null) return { oldest: await readOldestPending(redis, refs), stuck: null };
  const counted = deep.flatMap(({ group }, i) => (group.pending > 0 ? [i] : []));
  const others = deep.flatMap(({ group }, i) => (group.pending > 0 ? [] : [i]));
  // No id-range bound: idle can exceed an entry's age (XCLAIM IDLE/TIME), so the whole PEL
  // is eligible; at most `budget` entries of it are read per group.
  const [states, othersOldest] = await Promise.all([
    readPendingStates(
      redis,
      counted.map((i) => ({
        stream: deep[i]!.stream.key,
        group: deep[i]!.group.name,
        minIdleMs: deep[i]!.group.stuckAfterMs,
        pending: deep[i]!.group.pending,
      })),
      { perGroupBudget: budget },
    ),
    readOldestPending(
      redis,
      others.map((i) => refs[i]!),
    ),
  ]);
  const oldest: (PendingEntry | null)[] = deep.map(() => null);
  const stuck: (IdleCount | null)[] = deep.map(() => null);
  counted.forEach((i, k) => {
    oldest[i] = states[k]!.oldest;
    stuck[i] = states[k]!.stuck;
  });
  others.forEach((i, k) => (oldest[i] = othersOldest[k] ?? null));
  return { oldest, stuck };
}

function applyStuck(deep: readonly { group: GroupSnapshot }[], counts: readonly (IdleCount | null)[]): void {
  deep.forEach(({ group }, i) => {
    const c = counts[i];
    group.stuck = c
      ? { count: c.count, capped: !c.complete, maxIdleMs: c.maxIdleMs }
      : { count: 0, capped: false, maxIdleMs: 0 };
    if (c?.mostDelivered && c.mostDelivered.deliveries > (group.mostDelivered?.deliveries ?? 0))
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
