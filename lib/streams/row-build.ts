/**
 * Pure assembly of stream rows from parsed XINFO / PTTL / MEMORY USAGE / XPENDING replies.
 * No I/O, so unit tests feed it replies directly.
 */
import type { GroupSummary, MemoryUnknown, StreamDetail, StreamRow } from "@/lib/contract/streams";
import { compareIds, idToTimeMs } from "@/lib/contract/ids";
import { byBusiest, type GroupInfo, type StreamInfo } from "./xinfo";

export interface RowInputs {
  key: string;
  info: StreamInfo;
  groups: readonly GroupInfo[];
  /** PTTL reply: -1 no expiry, -2 gone. */
  pttl: number | null;
  memory: number | null;
  /** Why `memory` is null, when a reason is known. */
  memoryUnknown?: MemoryUnknown | null;
  /** The lowest pending id of each group that has pending messages. */
  oldestPendingIds: readonly string[];
  /** Pending messages idle at least their group's threshold (lib/pending/idle-count.ts); `capped`: a lower bound. */
  stuck: { count: number; capped: boolean };
  /** The group furthest behind in time: age of its oldest entry not yet delivered; null without groups; absent when not read. */
  lagMs?: number | null;
  now: number;
}

export function summarizeLag(groups: readonly Pick<GroupInfo, "lag">[]): { lag: number | null; lagUnknown: boolean } {
  let lag: number | null = null;
  let lagUnknown = false;
  for (const g of groups) {
    if (g.lag === null) lagUnknown = true;
    else lag = lag === null ? g.lag : Math.max(lag, g.lag);
  }
  return { lag, lagUnknown };
}

/** Age of the oldest of these ids (by the time in the id), never negative; null for none. */
export function oldestAgeMs(ids: readonly string[], now: number): number | null {
  let oldest: string | null = null;
  for (const id of ids) if (oldest === null || compareIds(id, oldest) < 0) oldest = id;
  return oldest === null ? null : Math.max(0, now - idToTimeMs(oldest));
}

export function buildRow(input: RowInputs): StreamRow {
  const { info, groups } = input;
  const { lag, lagUnknown } = summarizeLag(groups);
  const row: StreamRow = {
    key: input.key,
    length: info.length,
    firstEntryId: info.firstEntryId,
    lastEntryId: info.lastEntryId,
    groupCount: groups.length,
    pending: groups.reduce((sum, g) => sum + g.pending, 0),
    lag,
    lagUnknown,
    oldestPendingMs: oldestAgeMs(input.oldestPendingIds, input.now),
    stuck: input.stuck.count,
    stuckCapped: input.stuck.capped,
    ttlMs: input.pttl !== null && input.pttl >= 0 ? input.pttl : null,
    memoryBytes: input.memory,
    lastEntryTime: info.lastEntryId ? idToTimeMs(info.lastEntryId) : null,
    ...(input.lagMs !== undefined ? { lagMs: input.lagMs } : {}),
  };
  if (input.memory === null && input.memoryUnknown) row.memoryUnknown = input.memoryUnknown;
  return row;
}

/** Groups a stream's detail lists at most: past it, the busiest (byBusiest). */
export const DETAIL_GROUPS_SHOWN = 1000;

/**
 * The groups a detail lists: all of them when they fit in DETAIL_GROUPS_SHOWN and `budget` bytes,
 * else the busiest (byBusiest; then Redis's order) that do, listed in Redis's order.
 */
export function shownGroups(groups: readonly GroupSummary[], budget: number): GroupSummary[] {
  const bytes = (g: GroupSummary) => Buffer.byteLength(JSON.stringify(g), "utf8") + 1;
  const all = groups.reduce((n, g) => n + bytes(g), 0);
  if (groups.length <= DETAIL_GROUPS_SHOWN && all <= budget) return [...groups];
  const ranked = groups.map((g, at) => ({ g, at })).sort((a, b) => byBusiest(a.g, b.g) || a.at - b.at);
  const kept: { g: GroupSummary; at: number }[] = [];
  let used = 0;
  for (const r of ranked) {
    if (kept.length >= DETAIL_GROUPS_SHOWN || used + bytes(r.g) > budget) break;
    kept.push(r);
    used += bytes(r.g);
  }
  return kept.sort((a, b) => a.at - b.at).map((r) => r.g);
}

/** A stream's detail; its groups as shownGroups lists them within `groupsBudget` bytes (`groupsOmitted` counts the rest). */
export function buildDetail(input: RowInputs, groupsBudget = Infinity): StreamDetail {
  const all: GroupSummary[] = input.groups.map((g) => ({
    name: g.name,
    consumerCount: g.consumerCount,
    pending: g.pending,
    lastDeliveredId: g.lastDeliveredId,
    entriesRead: g.entriesRead,
    lag: g.lag,
  }));
  const groups = shownGroups(all, groupsBudget);
  return {
    ...buildRow(input),
    lastGeneratedId: input.info.lastGeneratedId,
    entriesAdded: input.info.entriesAdded,
    maxDeletedEntryId: input.info.maxDeletedEntryId,
    recordedFirstEntryId: input.info.recordedFirstEntryId,
    groups,
    ...(groups.length < all.length ? { groupsOmitted: all.length - groups.length } : {}),
  };
}

/** Integer replies may come back as numbers or numeric strings; anything else is "unknown". */
export function intOrNull(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  return null;
}
