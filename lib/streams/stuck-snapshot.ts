import "server-only";
import { isCluster, mastersOf, nodeAddress, type RedisConnection } from "@/lib/redis/connection";
import { slotOf } from "@/lib/redis/slots";
import { getEnv } from "@/lib/env";
import { appKey } from "@/lib/redis/app-keys";
import type { StuckSnapshotPartial } from "@/lib/contract/streams";

/*
 * The stuck snapshot: every group's oldest pending id and stuck count, read by the worker
 * (keepStuckSnapshot in ./summary.ts, run by lib/worker/jobs/stuck-snapshot.ts) and kept in
 * Redis under the app prefix, so that the overview and the stream list do not read every
 * group's pending list on every refresh.
 */

/** One group with pending messages, as the snapshot saw it. */
export interface KeptGroup {
  stream: string;
  group: string;
  /** The threshold the count used: a snapshot taken under another one is not used for the group. */
  stuckAfterMs: number;
  oldestId: string | null;
  stuck: number;
  complete: boolean;
}

export interface StuckSnapshot {
  /** When it was read, by Redis's clock (ms since the epoch). */
  at: number;
  groups: KeptGroup[];
  /** Absent when it holds every group with pending messages under the worker's match; else what it left out. */
  partial?: SnapshotPartial;
}

/**
 * What a snapshot left out: groups with pending messages over KEPT_GROUPS_CAP, and whether streams
 * past the walk's cap (SUMMARY_STREAM_CAP) were not looked at. The rows and tiles read those
 * live; the problems-first order cannot place them.
 */
export type SnapshotPartial = StuckSnapshotPartial;

/** The snapshot's `partial` for what the keeper found and kept (undefined when it kept everything). */
export function partialOf(
  found: { groups: number; streamsComplete: boolean },
  kept: number,
): SnapshotPartial | undefined {
  const groupsLeftOut = Math.max(0, found.groups - kept);
  return groupsLeftOut > 0 || !found.streamsComplete
    ? { groupsLeftOut, streamsLeftOut: !found.streamsComplete }
    : undefined;
}

/** How often the worker reads the snapshot again (at most once per tick: every WORKER_INTERVAL_MS). */
export const STUCK_SNAPSHOT_EVERY_MS = 2_000;

/** A snapshot older than three refreshes is not used (the worker is off, or behind): the overview reads live. */
export function keptSnapshotMaxAgeMs(): number {
  return 3 * Math.max(getEnv().WORKER_INTERVAL_MS, STUCK_SNAPSHOT_EVERY_MS);
}

/** Groups the snapshot holds at most (about 100 bytes each); the overview reads the others live. */
export const KEPT_GROUPS_CAP = 20_000;
/** How long Redis keeps a snapshot nobody refreshes (readers apply their own, shorter bound). */
const KEPT_TTL_MS = 10 * 60_000;

export function stuckSnapshotKey(): string {
  return appKey("stuck-snapshot");
}

export function keptGroupKey(stream: string, group: string): string {
  return JSON.stringify([stream, group]);
}

/** Stores a snapshot (kept KEPT_TTL_MS unless refreshed). Its text starts with `{"at":<at>,` (see readStuckSnapshot). */
export async function storeStuckSnapshot(redis: RedisConnection, snapshot: StuckSnapshot): Promise<void> {
  const text = JSON.stringify({
    at: snapshot.at,
    groups: snapshot.groups,
    ...(snapshot.partial ? { partial: snapshot.partial } : {}),
  });
  await redis.set(stuckSnapshotKey(), text, "PX", KEPT_TTL_MS);
}

function isSnapshot(v: unknown): v is StuckSnapshot {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as StuckSnapshot).at === "number" &&
    Array.isArray((v as StuckSnapshot).groups)
  );
}

/**
 * Redis's clock in ms (TIME): stuck means idle by Redis's clock, and the snapshot's age is on it too.
 * On a cluster TIME is asked of the master serving the snapshot's key, so that the snapshot's `at`
 * and every reader's now come from one clock (the Cluster client would pick any node).
 */
export async function redisNowMs(redis: RedisConnection): Promise<number> {
  const time = await clockNode(redis).time();
  return Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
}

function clockNode(redis: RedisConnection): RedisConnection {
  if (!isCluster(redis)) return redis;
  const address = redis.slots[slotOf(stuckSnapshotKey())]?.[0];
  return mastersOf(redis).find((n) => nodeAddress(n) === address) ?? redis;
}

/** The snapshot when it is at most `maxAgeMs` old at `now` (Redis's clock), else null. */
export function freshSnapshot(
  snapshot: StuckSnapshot | null,
  now: number,
  maxAgeMs = keptSnapshotMaxAgeMs(),
): StuckSnapshot | null {
  return snapshot && now - snapshot.at <= maxAgeMs ? snapshot : null;
}

/** The kept snapshot if fresh (see freshSnapshot). */
export async function readFreshStuckSnapshot(redis: RedisConnection, maxAgeMs?: number): Promise<StuckSnapshot | null> {
  return (await readStuckSnapshotState(redis, maxAgeMs)).snapshot;
}

/**
 * The kept snapshot if fresh, else null and why: `missing` (none kept, unreadable, or not
 * readable by the connection) or `stale` (older than `maxAgeMs`: the worker is off or behind).
 */
export async function readStuckSnapshotState(
  redis: RedisConnection,
  maxAgeMs?: number,
): Promise<{ snapshot: StuckSnapshot; unused: null } | { snapshot: null; unused: "missing" | "stale" }> {
  const [kept, now] = await Promise.all([readStuckSnapshot(redis), redisNowMs(redis)]);
  const snapshot = freshSnapshot(kept, now, maxAgeMs);
  if (snapshot) return { snapshot, unused: null };
  return { snapshot: null, unused: kept ? "stale" : "missing" };
}

const byGroupOf = new WeakMap<StuckSnapshot, Map<string, KeptGroup>>();

/** Each group's kept state, by keptGroupKey (built once per snapshot read). */
export function keptByGroup(snapshot: StuckSnapshot | null): Map<string, KeptGroup> {
  if (!snapshot) return new Map();
  let byGroup = byGroupOf.get(snapshot);
  if (!byGroup)
    byGroupOf.set(snapshot, (byGroup = new Map(snapshot.groups.map((g) => [keptGroupKey(g.stream, g.group), g]))));
  return byGroup;
}

/**
 * Whether the snapshot's count of a group holds under the threshold the settings give the group
 * now: a count made under another threshold says nothing of this one.
 */
export function countedUnder(kept: KeptGroup, stuckAfterMs: number): boolean {
  return kept.stuckAfterMs === stuckAfterMs;
}

/** A group's kept state when the snapshot counted it under `stuckAfterMs` (see countedUnder), else undefined. */
export function keptGroupUnder(
  snapshot: StuckSnapshot | null,
  stream: string,
  group: string,
  stuckAfterMs: number,
): KeptGroup | undefined {
  if (!snapshot || snapshot.groups.length === 0) return undefined;
  const kept = keptByGroup(snapshot).get(keptGroupKey(stream, group));
  return kept && countedUnder(kept, stuckAfterMs) ? kept : undefined;
}

/**
 * The kept snapshot; null when there is none, it is unreadable, or the connection may not read
 * it (an ACL user limited to the watched keys): the caller then reads live, which reports any
 * error of the connection itself.
 */
export async function readStuckSnapshot(redis: RedisConnection): Promise<StuckSnapshot | null> {
  const key = stuckSnapshotKey();
  const head = await redis.getrange(key, 0, HEAD_BYTES - 1).catch(() => null);
  if (!head) return null;
  const at = atOfHead(head);
  const last = lastRead.get(redis);
  if (at !== null && last?.at === at) return last.snapshot;
  const reading = redis
    .get(key)
    .catch(() => null)
    .then(parseSnapshot);
  if (at !== null) lastRead.set(redis, { at, snapshot: reading });
  const snapshot = await reading;
  // Replaced between the two reads: keep it under its own time, or not at all.
  if (snapshot?.at !== at && lastRead.get(redis)?.snapshot === reading) {
    if (snapshot) lastRead.set(redis, { at: snapshot.at, snapshot: reading });
    else lastRead.delete(redis);
  }
  return snapshot;
}

/*
 * A snapshot holds up to KEPT_GROUPS_CAP groups (a few MiB of JSON), and every stream list page
 * and the tiles read it: the last one parsed is kept per connection, and a read first asks for the
 * head of the text (`{"at":<at>,`, see storeStuckSnapshot), fetching and parsing the whole text
 * only when `at` changed (the worker writes a new one every STUCK_SNAPSHOT_EVERY_MS at most).
 */
const HEAD_BYTES = 32;
const lastRead = new WeakMap<RedisConnection, { at: number; snapshot: Promise<StuckSnapshot | null> }>();

function atOfHead(head: string): number | null {
  const m = /^\{"at":(\d+),/.exec(head);
  return m ? Number(m[1]) : null;
}

function parseSnapshot(text: string | null): StuckSnapshot | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isSnapshot(parsed)) return null;
    const p: unknown = parsed.partial;
    const valid =
      typeof p === "object" &&
      p !== null &&
      Number.isSafeInteger((p as SnapshotPartial).groupsLeftOut) &&
      typeof (p as SnapshotPartial).streamsLeftOut === "boolean";
    if (!valid) delete parsed.partial;
    return parsed;
  } catch {
    return null;
  }
}
