import "server-only";
import type Redis from "ioredis";
import { resolveGroupRule } from "@/lib/config/resolve";
import type { GroupRuleConfig } from "@/lib/config/schema";
import { countIdlePending } from "@/lib/pending/idle-count";
import { isAppKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, scanSlice, type PipelineResult } from "@/lib/redis/keyspace";
import { readConsumersMany, type ConsumerList } from "@/lib/streams/consumers";
import { idToTimeMs, isValidId } from "@/lib/streams/ids";
import {
  parseGroups,
  parsePendingRange,
  parseStreamInfo,
  type ConsumerInfo,
} from "@/lib/streams/xinfo";

/**
 * One bounded look at a set of streams, shared by the alert rules, the history sampler and
 * the metrics endpoint. Per stream: XINFO STREAM (no FULL), XINFO GROUPS, PTTL in one pipeline;
 * per group with pending: XPENDING - + 1 (oldest by id); optionally the consumers (capped:
 * lib/streams/consumers.ts), and
 * stuck messages counted over at most STUCK_SCAN_BUDGET PEL entries per group
 * (lib/pending/idle-count.ts: plain XPENDING ranges, no IDLE option).
 */
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
  stuckAfterMs: number;
  /** Oldest pending message by id: its age from the id's time, and its idle time. */
  oldestPending: { id: string; ageMs: number; idleMs: number } | null;
  /** null when not checked (option off). */
  stuck: StuckInfo | null;
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
}

function ok(r: PipelineResult | undefined): unknown {
  if (!r || r[0]) return undefined;
  return r[1];
}

export async function snapshotStreams(redis: Redis, keys: readonly string[], opts: SnapshotOptions): Promise<StreamSnapshot[]> {
  if (keys.length === 0) return [];
  const base = await pipelineForKeys(redis, keys, (pipe, key) => {
    pipe.call("XINFO", "STREAM", key);
    pipe.call("XINFO", "GROUPS", key);
    pipe.pttl(key);
  });
  const streams: StreamSnapshot[] = [];
  base.forEach((replies, i) => {
    const infoReply = ok(replies[0]);
    if (infoReply === undefined) return; // vanished or not a stream any more
    const info = parseStreamInfo(infoReply);
    const pttl = ok(replies[2]);
    const groups = parseGroups(ok(replies[1]), info).map<GroupSnapshot>((g) => ({
      name: g.name,
      consumerCount: g.consumerCount,
      pending: g.pending,
      lag: g.lag,
      entriesRead: g.entriesRead,
      lastDeliveredId: g.lastDeliveredId,
      stuckAfterMs: resolveGroupRule(opts.groupRules, keys[i]!, g.name).stuckAfterMs,
      oldestPending: null,
      stuck: null,
      consumers: null,
      consumersListed: null,
      consumersOmitted: 0,
    }));
    streams.push({
      key: keys[i]!,
      length: info.length,
      entriesAdded: info.entriesAdded,
      lastGeneratedId: info.lastGeneratedId,
      ttlMs: typeof pttl === "number" && pttl >= 0 ? pttl : null,
      groups,
    });
  });

  const maxGroups = opts.maxGroups ?? 5000;
  const deep: { stream: StreamSnapshot; group: GroupSnapshot }[] = [];
  for (const stream of streams) {
    for (const group of stream.groups) {
      if (deep.length >= maxGroups) break;
      if (group.pending > 0 || opts.consumers) deep.push({ stream, group });
    }
  }
  if (deep.length === 0) return streams;

  let at = 0;
  const detail = await pipelineForKeys(
    redis,
    deep.map((d) => d.stream.key),
    (pipe, key) => {
      const { group } = deep[at++]!;
      pipe.call("XPENDING", key, group.name, "-", "+", 1);
    },
  );
  detail.forEach((replies, i) => {
    const { group } = deep[i]!;
    const first = parsePendingRange(ok(replies[0]))[0];
    if (first && isValidId(first.id)) {
      group.oldestPending = { id: first.id, ageMs: Math.max(0, opts.now - idToTimeMs(first.id)), idleMs: first.idleMs };
    }
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

  if (opts.stuck) await countStuck(redis, deep, opts.stuckScanBudget ?? STUCK_SCAN_BUDGET);
  return streams;
}

async function countStuck(
  redis: Redis,
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
  const counts = await countIdlePending(
    redis,
    candidates.map(({ stream, group }) => ({ stream: stream.key, group: group.name, minIdleMs: group.stuckAfterMs, pending: group.pending })),
    { perGroupBudget: budget },
  );
  counts.forEach((c, i) => {
    candidates[i]!.group.stuck = { count: c.count, capped: !c.complete, maxIdleMs: c.maxIdleMs };
  });
}

/**
 * The next page of stream keys for a rolling evaluation: SCAN ... TYPE stream from `cursor`
 * until `max` keys or the end of the key space. App-owned keys are skipped.
 */
export async function nextStreamKeys(
  redis: Redis,
  opts: { cursor: string; max: number; match?: string },
): Promise<{ keys: string[]; cursor: string; wrapped: boolean }> {
  // Bounded: a page is kept whole so the cursor skips nothing, and at most 100 SCAN pages.
  const { keys, cursor, wrapped } = await scanSlice(redis, {
    cursor: opts.cursor,
    match: opts.match ?? "*",
    type: "stream",
    maxKeys: opts.max,
    count: Math.min(1000, Math.max(10, opts.max)),
    maxPages: 100,
    skip: isAppKey,
  });
  return { keys, cursor, wrapped };
}
