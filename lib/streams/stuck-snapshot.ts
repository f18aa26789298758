import "server-only";
import { isCluster, mastersOf, nodeAddress, type RedisConnection } from "@/lib/redis/connection";
import { slotOf } from "@/lib/redis/slots";
import { getEnv } from "@/lib/env";
import { appKey } from "@/lib/redis/app-keys";

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

/** Stores a snapshot (kept KEPT_TTL_MS unless refreshed). */
export async function storeStuckSnapshot(redis: RedisConnection, snapshot: StuckSnapshot): Promise<void> {
  await redis.set(stuckSnapshotKey(), JSON.stringify(snapshot), "PX", KEPT_TTL_MS);
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

/** Each group's kept state, by keptGroupKey. */
export function keptByGroup(snapshot: StuckSnapshot | null): Map<string, KeptGroup> {
  return new Map((snapshot?.groups ?? []).map((g) => [keptGroupKey(g.stream, g.group), g]));
}

/**
 * The kept snapshot; null when there is none, it is unreadable, or the connection may not read
 * it (an ACL user limited to the watched keys): the caller then reads live, which reports any
 * error of the connection itself.
 */
export async function readStuckSnapshot(redis: RedisConnection): Promise<StuckSnapshot | null> {
  const text = await redis.get(stuckSnapshotKey()).catch(() => null);
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isSnapshot(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
