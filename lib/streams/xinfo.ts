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
    out[fieldName(k)] = reply[i + 1];
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

/** A field name of a flat [name, value, ...] reply. */
function fieldName(k: unknown): string {
  return typeof k === "string" ? k : String(k);
}

// The hot replies (XINFO STREAM, XINFO GROUPS) are read field by field, without an intermediate record.
export function parseStreamInfo(reply: unknown): StreamInfo {
  let length: unknown;
  let lastGeneratedId: unknown;
  let maxDeletedEntryId: unknown;
  let entriesAdded: unknown;
  let recordedFirstEntryId: unknown;
  let groups: unknown;
  let firstEntry: unknown;
  let lastEntry: unknown;
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const value: unknown = reply[i + 1];
      switch (fieldName(reply[i])) {
        case "length":
          length = value;
          break;
        case "last-generated-id":
          lastGeneratedId = value;
          break;
        case "max-deleted-entry-id":
          maxDeletedEntryId = value;
          break;
        case "entries-added":
          entriesAdded = value;
          break;
        case "recorded-first-entry-id":
          recordedFirstEntryId = value;
          break;
        case "groups":
          groups = value;
          break;
        case "first-entry":
          firstEntry = value;
          break;
        case "last-entry":
          lastEntry = value;
          break;
      }
    }
  }
  return {
    length: num(length) ?? 0,
    lastGeneratedId: str(lastGeneratedId) ?? "0-0",
    maxDeletedEntryId: str(maxDeletedEntryId),
    entriesAdded: num(entriesAdded),
    recordedFirstEntryId: str(recordedFirstEntryId),
    groupCount: num(groups) ?? 0,
    firstEntryId: entryId(firstEntry),
    lastEntryId: entryId(lastEntry),
  };
}

/** The `last-entry` of an XINFO STREAM reply (`[id, [field, value, ...]]`), when the stream has one. */
export function lastEntryOf(reply: unknown): unknown[] | null {
  if (!Array.isArray(reply)) return null;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    if (fieldName(reply[i]) === "last-entry") return Array.isArray(reply[i + 1]) ? (reply[i + 1] as unknown[]) : null;
  }
  return null;
}

/** One group of XINFO GROUPS, parsed: the contract's group shape. */
export type GroupInfo = ConsumerGroup;

/**
 * Busiest first: the most pending messages, then the longest lag (a lag Redis cannot tell counts
 * as the longest). How a stream's groups are picked when not all of them are shown.
 */
export function byBusiest(a: Pick<GroupInfo, "pending" | "lag">, b: Pick<GroupInfo, "pending" | "lag">): number {
  return b.pending - a.pending || (b.lag ?? Infinity) - (a.lag ?? Infinity);
}

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
    const group = parseGroup(g);
    if (stream) group.lag = boundedLag(group, stream);
    return group;
  });
}

function parseGroup(reply: unknown): GroupInfo {
  let name: unknown;
  let consumers: unknown;
  let pending: unknown;
  let lastDeliveredId: unknown;
  let entriesRead: unknown;
  let lag: unknown;
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const value: unknown = reply[i + 1];
      switch (fieldName(reply[i])) {
        case "name":
          name = value;
          break;
        case "consumers":
          consumers = value;
          break;
        case "pending":
          pending = value;
          break;
        case "last-delivered-id":
          lastDeliveredId = value;
          break;
        case "entries-read":
          entriesRead = value;
          break;
        case "lag":
          lag = value;
          break;
      }
    }
  }
  return {
    name: str(name) ?? "",
    consumerCount: num(consumers) ?? 0,
    pending: num(pending) ?? 0,
    lastDeliveredId: str(lastDeliveredId) ?? "0-0",
    entriesRead: num(entriesRead),
    lag: num(lag),
  };
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
