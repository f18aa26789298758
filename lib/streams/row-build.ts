/**
 * Pure assembly of stream rows from parsed XINFO / PTTL / MEMORY USAGE / XPENDING replies.
 * No I/O, so unit tests feed it replies directly.
 */
import type { GroupSummary, MemoryUnknown, StreamDetail, StreamRow } from "@/lib/contract/streams";
import { compareIds, idToTimeMs } from "@/lib/contract/ids";
import type { GroupInfo, StreamInfo } from "./xinfo";

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

export function buildDetail(input: RowInputs): StreamDetail {
  const groups: GroupSummary[] = input.groups.map((g) => ({
    name: g.name,
    consumerCount: g.consumerCount,
    pending: g.pending,
    lastDeliveredId: g.lastDeliveredId,
    entriesRead: g.entriesRead,
    lag: g.lag,
  }));
  return {
    ...buildRow(input),
    lastGeneratedId: input.info.lastGeneratedId,
    entriesAdded: input.info.entriesAdded,
    maxDeletedEntryId: input.info.maxDeletedEntryId,
    recordedFirstEntryId: input.info.recordedFirstEntryId,
    groups,
  };
}

/** Integer replies may come back as numbers or numeric strings; anything else is "unknown". */
export function intOrNull(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
  return null;
}
