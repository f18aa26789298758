import "server-only";
import { RECENT_GROUPS_MS } from "./recent-groups";
import type { RedisConnection } from "@/lib/redis/connection";
import type { OverviewSummary } from "@/lib/contract/streams";
import type { Settings } from "@/lib/config/settings";
import { resolveGroupRule } from "@/lib/config/resolve";
import { isAppKey } from "@/lib/redis/app-keys";
import { scanAllKeys } from "@/lib/redis/keyspace";
import { idToTimeMs, timeMsToId } from "@/lib/contract/ids";
import { readPendingStates, readStreams, streamsOnly } from "./snapshot";
import {
  freshSnapshot,
  keptGroupUnder,
  KEPT_GROUPS_CAP,
  partialOf,
  readStuckSnapshot,
  redisNowMs,
  storeStuckSnapshot,
} from "./stuck-snapshot";
import { RollingTotals, sumTotals, type RollingSums, type StreamTotals } from "./rolling-summary";

export const SUMMARY_STREAM_CAP = 10_000;
/** PEL entries read, over all groups, to count stuck messages. */
export const STUCK_CAP = 1000;
/** PEL entries read per summary, as a multiple of STUCK_CAP (each XPENDING reads at most 1,000). */
export const STUCK_READ_FACTOR = 10;
/** Keys (or groups) per round trip of XINFO GROUPS / XPENDING - + 1 (one command each). */
const GROUPS_CHUNK_KEYS = 2000;

/** A group with pending messages, and the threshold past which they count as stuck. */
export interface PendingGroup {
  key: string;
  group: string;
  pending: number;
  stuckAfterMs: number;
}

/** What the overview needs of a group's pending list: its oldest id, and how many are stuck. */
export interface GroupPendingState {
  oldestId: string | null;
  stuck: number;
  /** False when the PEL budget ran out first: `stuck` is a lower bound. */
  complete: boolean;
}

/** Stream keys already known (the stream index's), instead of a SCAN; `complete`: they are all of them. */
export interface KnownKeys {
  keys: readonly string[];
  complete: boolean;
}

/**
 * The streams SCAN finds under `match` (at most `streamCap`), or the `known` ones, their total
 * pending, and their groups with pending messages.
 */
export async function pendingGroupsOf(
  redis: RedisConnection,
  settings: Pick<Settings, "groups">,
  opts: { match: string; streamCap: number; visible?: (key: string) => boolean; known?: KnownKeys },
): Promise<{ streams: number; complete: boolean; totalPending: number; groups: PendingGroup[]; keys: string[] }> {
  const scan = opts.known
    ? knownSlice(opts.known, opts.streamCap, opts.visible)
    : await scanAllKeys(redis, { match: opts.match, type: "stream", maxKeys: opts.streamCap });
  const keys = scan.keys.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true));
  const reads = streamsOnly(
    await readStreams(redis, keys, {
      groups: true,
      chunkKeys: GROUPS_CHUNK_KEYS,
      shareGroupsMs: RECENT_GROUPS_MS,
    }),
  );
  let totalPending = 0;
  const groups: PendingGroup[] = [];
  for (const { key, groups: infos } of reads) {
    for (const g of infos!) {
      totalPending += g.pending;
      if (g.pending > 0) {
        const { stuckAfterMs } = resolveGroupRule(settings.groups, key, g.name);
        groups.push({ key, group: g.name, pending: g.pending, stuckAfterMs });
      }
    }
  }
  return { streams: reads.length, complete: scan.complete, totalPending, groups, keys: reads.map((r) => r.key) };
}

function knownSlice(
  known: KnownKeys,
  cap: number,
  visible: ((key: string) => boolean) | undefined,
): { keys: string[]; complete: boolean } {
  const keys = visible ? known.keys.filter(visible) : known.keys;
  return { keys: keys.slice(0, cap), complete: known.complete && keys.length <= cap };
}

/**
 * Each group's oldest pending id and stuck count: pending longer than the group's threshold,
 * counted over at most `totalBudget` PEL entries in all (readPendingStates: one XPENDING for a
 * small pending list read whole, else `- + 1` and `- <end> <n>` ranges).
 *
 * `<end>` is the newest id old enough to be stuck: an entry cannot have been delivered before it
 * was added, so ids younger than the threshold (by Redis's clock) cannot be idle that long.
 * Only explicit ids set in the future escape this bound.
 */
export async function readGroupPendingStates(
  redis: RedisConnection,
  groups: readonly PendingGroup[],
  now: number,
  totalBudget: number,
): Promise<GroupPendingState[]> {
  const states = await readPendingStates(
    redis,
    groups.map((g) => ({
      stream: g.key,
      group: g.group,
      minIdleMs: g.stuckAfterMs,
      pending: g.pending,
      end: timeMsToId(now - g.stuckAfterMs, "end"),
    })),
    { totalBudget },
    GROUPS_CHUNK_KEYS,
  );
  return states.map(({ oldest, stuck }) => ({
    oldestId: oldest?.id ?? null,
    stuck: stuck.count,
    complete: stuck.complete,
  }));
}

/**
 * The overview's tiles over the first `streamCap` streams SCAN finds (`complete: false` past it):
 * streams, total pending, oldest pending age, and stuck messages: pending longer than the
 * group's own threshold (its settings rule, default 30 s), counted over at most `stuckCap` ×
 * STUCK_READ_FACTOR PEL entries in all (readGroupPendingStates); `stuckCapped: true` when that
 * budget ran out first, so `stuck` is a lower bound.
 *
 * With `kept`, the oldest pending ids and stuck counts come from the stuck snapshot the worker
 * keeps (./stuck-snapshot.ts) when it is at most `kept.maxAgeMs` old (`stuckAsOf` says when it was
 * taken); groups it does not hold (new since, another key match, another threshold) are read
 * live, and so is everything when it is missing or older.
 *
 * With `known` keys (the stream index's) past `streamCap`, each call reads the next `streamCap` of
 * them in turn and the tiles sum every stream as last read (./rolling-summary.ts): `rolling` says
 * how many have a reading and how old the oldest is; `complete` once every one has been read.
 */
export async function summarizeOverview(
  redis: RedisConnection,
  settings: Pick<Settings, "groups" | "families">,
  opts: {
    match: string;
    /** The cluster node the known keys were selected for (the readings in turn are kept per node). */
    node?: string;
    streamCap?: number;
    stuckCap?: number;
    visible?: (key: string) => boolean;
    /** Use the kept stuck snapshot when at most `maxAgeMs` old (default keptSnapshotMaxAgeMs()). */
    kept?: { maxAgeMs?: number };
    /** The streams to sum over (already under `match`), instead of a SCAN. */
    known?: KnownKeys;
  },
): Promise<OverviewSummary> {
  const streamCap = opts.streamCap ?? SUMMARY_STREAM_CAP;
  const stuckCap = opts.stuckCap ?? STUCK_CAP;
  const familyPatterns = (settings.families ?? []).map((f) => f.pattern);
  const known = opts.known;
  const keys = known && opts.visible ? known.keys.filter(opts.visible) : known?.keys;
  const turns =
    known && keys && keys.length > streamCap
      ? RollingTotals.of(redis, JSON.stringify([opts.match, opts.node ?? "", settings.groups ?? []]))
      : null;
  const window = turns && keys ? turns.window(keys, streamCap) : null;
  const read = await readGroupStates(redis, settings, {
    match: opts.match,
    streamCap,
    stuckCap,
    visible: opts.visible,
    known: window ? { keys: window, complete: true } : known,
    kept: opts.kept,
  });

  const perStream = totalsPerStream(read);
  let sums: RollingSums;
  let answered: Pick<OverviewSummary, "streams" | "complete" | "rolling" | "stuckAsOf">;
  if (turns && window && keys && known) {
    turns.record(window, perStream);
    sums = turns.sum(keys);
    answered = {
      streams: sums.read,
      complete: known.complete && sums.read >= keys.length,
      rolling: { read: sums.read, since: sums.since ?? read.now },
    };
  } else {
    sums = sumTotals(perStream.values());
    answered = {
      streams: read.found.streams,
      complete: read.found.complete,
      ...(read.stuckAsOf !== undefined ? { stuckAsOf: read.stuckAsOf } : {}),
    };
  }
  return {
    ...answered,
    totalPending: sums.pending,
    stuck: Math.min(sums.stuck, stuckCap),
    stuckCapped: sums.stuck > stuckCap || !sums.complete,
    stuckCap,
    oldestPendingMs: sums.oldestMs === null ? null : Math.max(0, read.now - sums.oldestMs),
    streamCap,
    familyPatterns,
  };
}

interface GroupStatesRead {
  found: Awaited<ReturnType<typeof pendingGroupsOf>>;
  /** One per `found.groups`. */
  states: GroupPendingState[];
  now: number;
  /** When the kept stuck snapshot some states came from was taken. */
  stuckAsOf?: number;
}

/** The streams to sum (SCAN or known keys), their groups with pending messages, and each one's pending state. */
async function readGroupStates(
  redis: RedisConnection,
  settings: Pick<Settings, "groups">,
  opts: {
    match: string;
    streamCap: number;
    stuckCap: number;
    visible?: (key: string) => boolean;
    known?: KnownKeys;
    kept?: { maxAgeMs?: number };
  },
): Promise<GroupStatesRead> {
  const [found, now, snapshot] = await Promise.all([
    pendingGroupsOf(redis, settings, opts),
    redisNowMs(redis),
    opts.kept ? readStuckSnapshot(redis) : null,
  ]);
  const fresh = freshSnapshot(snapshot, now, opts.kept?.maxAgeMs);

  const states: (GroupPendingState | null)[] = found.groups.map(() => null);
  let usedSnapshot = false;
  if (fresh) {
    found.groups.forEach((g, i) => {
      const kept = keptGroupUnder(fresh, g.key, g.group, g.stuckAfterMs);
      if (!kept) return;
      states[i] = { oldestId: kept.oldestId, stuck: kept.stuck, complete: kept.complete };
      usedSnapshot = true;
    });
  }
  const missing = found.groups.filter((_, i) => !states[i]);
  const live = await readGroupPendingStates(redis, missing, now, opts.stuckCap * STUCK_READ_FACTOR);
  let at = 0;
  return {
    found,
    states: states.map((s) => s ?? live[at++]!),
    now,
    ...(usedSnapshot && fresh ? { stuckAsOf: fresh.at } : {}),
  };
}

/** Each stream a read found, with its pending, stuck and oldest pending summed over its groups. */
function totalsPerStream(read: GroupStatesRead): Map<string, StreamTotals> {
  const out = new Map<string, StreamTotals>();
  for (const key of read.found.keys)
    out.set(key, { pending: 0, stuck: 0, complete: true, oldestMs: null, at: read.now });
  read.found.groups.forEach((g, i) => {
    const t = out.get(g.key);
    const s = read.states[i]!;
    if (!t) return;
    t.pending += g.pending;
    t.stuck += s.stuck;
    if (!s.complete) t.complete = false;
    const ms = s.oldestId ? idToTimeMs(s.oldestId) : null;
    if (ms !== null && (t.oldestMs === null || ms < t.oldestMs)) t.oldestMs = ms;
  });
  return out;
}

/** PEL entries the stuck snapshot reads in all (several overviews' worth: it runs once per tick, not per request). */
export const KEPT_STUCK_BUDGET = STUCK_CAP * STUCK_READ_FACTOR * 5;

/**
 * The stuck snapshot (./stuck-snapshot.ts): reads every group with pending messages under
 * `match` (as the overview would, live) and stores the result for the overview and the list.
 */
export async function keepStuckSnapshot(
  redis: RedisConnection,
  settings: Pick<Settings, "groups">,
  opts: { match: string; groupsCap?: number; streamCap?: number },
): Promise<{ streams: number; groups: number; complete: boolean }> {
  const [found, now] = await Promise.all([
    pendingGroupsOf(redis, settings, { match: opts.match, streamCap: opts.streamCap ?? SUMMARY_STREAM_CAP }),
    redisNowMs(redis),
  ]);
  const groups = found.groups.slice(0, opts.groupsCap ?? KEPT_GROUPS_CAP);
  const states = await readGroupPendingStates(redis, groups, now, KEPT_STUCK_BUDGET);
  const partial = partialOf({ groups: found.groups.length, streamsComplete: found.complete }, groups.length);
  const snapshot = {
    at: now,
    groups: groups.map((g, i) => ({
      stream: g.key,
      group: g.group,
      stuckAfterMs: g.stuckAfterMs,
      ...states[i]!,
    })),
    ...(partial ? { partial } : {}),
  };
  await storeStuckSnapshot(redis, snapshot);
  return {
    streams: found.streams,
    groups: groups.length,
    complete: found.complete && groups.length === found.groups.length && states.every((s) => s.complete),
  };
}
