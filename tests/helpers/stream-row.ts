import type { StreamRow } from "@/lib/contract/streams";

/** A stream list row for unit tests: an empty stream with no groups, changed by `over`. */
export function streamRow(key: string, over: Partial<StreamRow> = {}): StreamRow {
  return {
    key,
    length: 0,
    firstEntryId: null,
    lastEntryId: null,
    groupCount: 0,
    pending: 0,
    lag: null,
    lagUnknown: false,
    oldestPendingMs: null,
    stuck: 0,
    stuckCapped: false,
    ttlMs: null,
    memoryBytes: null,
    lastEntryTime: null,
    ...over,
  };
}
