/**
 * Parsers for XINFO / XPENDING replies (RESP2 flat arrays as ioredis 5 returns them).
 * Key/value replies are parsed as pairs and unknown keys ignored: each version adds fields.
 */
import { compareIds } from "@/lib/contract/ids";
import type { ConsumerGroup } from "@/lib/contract/streams";

export function pairsToRecord(reply: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const k = reply[i];
    out[typeof k === "string" ? k : String(k)] = reply[i + 1];
  }
  return out;
}

function num(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function str(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return null;
}

function entryId(v: unknown): string | null {
  return Array.isArray(v) ? str(v[0]) : null;
}

export interface StreamInfo {
  length: number;
  lastGeneratedId: string;
  /** 7.0+: null on servers that lack them. */
  maxDeletedEntryId: string | null;
  entriesAdded: number | null;
  recordedFirstEntryId: string | null;
  groupCount: number;
  firstEntryId: string | null;
  lastEntryId: string | null;
}

export function parseStreamInfo(reply: unknown): StreamInfo {
  const r = pairsToRecord(reply);
  return {
    length: num(r.length) ?? 0,
    lastGeneratedId: str(r["last-generated-id"]) ?? "0-0",
    maxDeletedEntryId: str(r["max-deleted-entry-id"]),
    entriesAdded: num(r["entries-added"]),
    recordedFirstEntryId: str(r["recorded-first-entry-id"]),
    groupCount: num(r.groups) ?? 0,
    firstEntryId: entryId(r["first-entry"]),
    lastEntryId: entryId(r["last-entry"]),
  };
}

/** One group of XINFO GROUPS, parsed: the contract's group shape. */
export type GroupInfo = ConsumerGroup;

/**
 * The groups of a stream. Given the stream's own XINFO STREAM, each lag is bounded by what the
 * stream says (boundedLag): pass it wherever it was read anyway.
 */
export function parseGroups(
  reply: unknown,
  stream?: Pick<StreamInfo, "length" | "lastGeneratedId" | "firstEntryId">,
): GroupInfo[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((g) => {
    const r = pairsToRecord(g);
    const group = {
      name: str(r.name) ?? "",
      consumerCount: num(r.consumers) ?? 0,
      pending: num(r.pending) ?? 0,
      lastDeliveredId: str(r["last-delivered-id"]) ?? "0-0",
      entriesRead: num(r["entries-read"]),
      lag: num(r.lag),
    };
    return stream ? { ...group, lag: boundedLag(group, stream) } : group;
  });
}

/**
 * A group's lag, checked against the stream's own numbers. Redis counts it as entries-added minus
 * the group's entries-read, which a trim breaks: before 7.2.7 / 7.4.2 / 8.0 (and on Valkey 8.0) a
 * group behind the trimmed entries still counts them, and on every server tested here a group that
 * then reads across the gap keeps counting them (redis/redis#13473, #13957). Whatever the version:
 * a group at the stream's last id, or of an empty stream, lags by 0; a group behind the first
 * entry lags by the whole stream; a lag above the stream's length is impossible, so unknown (null).
 * A miscount that stays within the length cannot be seen in the replies and is left as Redis says.
 */
export function boundedLag(
  group: Pick<GroupInfo, "lag" | "lastDeliveredId">,
  stream: Pick<StreamInfo, "length" | "lastGeneratedId" | "firstEntryId">,
): number | null {
  if (stream.length === 0 || compareIds(group.lastDeliveredId, stream.lastGeneratedId) >= 0) return 0;
  if (stream.firstEntryId && compareIds(group.lastDeliveredId, stream.firstEntryId) < 0) return stream.length;
  return group.lag !== null && group.lag > stream.length ? null : group.lag;
}

export interface ConsumerInfo {
  name: string;
  pending: number;
  /**
   * ms since the last attempted interaction (7.2+), or since the last successful one (7.0);
   * null when not read (a group over the consumer cap, lib/streams/consumers.ts).
   */
  idleMs: number | null;
  /** ms since the last successful read or claim; 7.2+ reports it (null before, -1 means never). */
  inactiveMs: number | null;
  /**
   * Only for a group over the consumer cap (idleMs null): idle of the consumer's oldest pending
   * message, an upper bound of its inactivity; null when not read.
   */
  oldestPendingIdleMs?: number | null;
}

export function parseConsumers(reply: unknown): ConsumerInfo[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((c) => {
    const r = pairsToRecord(c);
    return {
      name: str(r.name) ?? "",
      pending: num(r.pending) ?? 0,
      idleMs: num(r.idle) ?? 0,
      inactiveMs: "inactive" in r ? num(r.inactive) : null,
    };
  });
}

/**
 * How long a consumer has been without a successful read or claim: `inactive` on 7.2+
 * (-1 = never, counted as "forever"), `idle` on 7.0 where idle has that meaning.
 */
export function consumerInactiveMs(c: ConsumerInfo): number {
  if (c.inactiveMs === null) return c.idleMs ?? c.oldestPendingIdleMs ?? Number.NaN;
  if (c.inactiveMs < 0) return Number.POSITIVE_INFINITY;
  return c.inactiveMs;
}

export interface PendingSummary {
  count: number;
  minId: string | null;
  maxId: string | null;
  consumers: { name: string; pending: number }[];
}

export function parsePendingSummary(reply: unknown): PendingSummary {
  const arr = Array.isArray(reply) ? reply : [];
  const consumers = Array.isArray(arr[3])
    ? (arr[3] as unknown[]).map((c) => {
        const pair = Array.isArray(c) ? c : [];
        return { name: str(pair[0]) ?? "", pending: num(pair[1]) ?? 0 };
      })
    : [];
  return { count: num(arr[0]) ?? 0, minId: str(arr[1]), maxId: str(arr[2]), consumers };
}

export interface PendingEntry {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
}

export function parsePendingRange(reply: unknown): PendingEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((e) => {
    const row = Array.isArray(e) ? e : [];
    return {
      id: str(row[0]) ?? "",
      consumer: str(row[1]) ?? "",
      idleMs: num(row[2]) ?? 0,
      deliveries: num(row[3]) ?? 0,
    };
  });
}
