/**
 * An entry's state for a consumer group, decided in the order of REDIS-STREAMS.md:
 * 1. in the group's PEL → pending (XCLAIM FORCE and a backward SETID put ids above
 *    last-delivered-id in the PEL, so this is checked first);
 * 2. id > last-delivered-id → delivered (in the stream, waiting for the group);
 * 3. otherwise → acked, which also covers entries the group skipped.
 * Pure: the caller fetches the PEL slice and last-delivered-id.
 */
import type { EntryStateName, GroupEntryState } from "@/lib/contract/entries";
import { compareIds } from "@/lib/contract/ids";

export interface PelEntry {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
}

export interface GroupSnapshot {
  name: string;
  lastDeliveredId: string;
  /** The group's PEL entries over (at least) the ids being classified. */
  pel: PelEntry[];
}

export function classifyEntry(id: string, lastDeliveredId: string, pending: PelEntry | undefined): GroupEntryState {
  if (pending)
    return { state: "pending", consumer: pending.consumer, idleMs: pending.idleMs, deliveries: pending.deliveries };
  if (compareIds(id, lastDeliveredId) > 0) return { state: "delivered" };
  return { state: "acked" };
}

/** States of each id for each group: `result[id][group]`. */
export function classifyEntries(ids: string[], groups: GroupSnapshot[]): Map<string, Record<string, GroupEntryState>> {
  const pelByGroup = groups.map((g) => ({ group: g, pel: new Map(g.pel.map((p) => [p.id, p])) }));
  const out = new Map<string, Record<string, GroupEntryState>>();
  for (const id of ids) {
    const states: Record<string, GroupEntryState> = {};
    for (const { group, pel } of pelByGroup) states[group.name] = classifyEntry(id, group.lastDeliveredId, pel.get(id));
    out.set(id, states);
  }
  return out;
}

/** PEL ids with no entry among `existingIds` (the caller passes PEL slices of the same id range). */
export function findOrphans(existingIds: Iterable<string>, groups: GroupSnapshot[]): string[] {
  const existing = new Set(existingIds);
  const orphans = new Set<string>();
  for (const g of groups) for (const p of g.pel) if (!existing.has(p.id)) orphans.add(p.id);
  return [...orphans].sort(compareIds);
}

/** The one set of words the UI uses for the three states (badges, legends, README). */
export const STATE_LABELS: Record<EntryStateName, string> = {
  pending: "pending",
  delivered: "delivered to stream",
  acked: "acked",
};

/** What each state means in Redis terms, shown in the legend next to every list of states. */
export const STATE_LEGEND: Record<EntryStateName, string> = {
  delivered: "in the stream, not yet read by this group (above its last-delivered-id)",
  pending: "read by a consumer of this group (XREADGROUP), not acked yet (in the group's PEL)",
  acked: "acked, or skipped: the group was created or moved (SETID) past it",
};

export const STATE_EXPLANATIONS: Record<EntryStateName, string> = {
  pending: "Read by a consumer of this group and not acked yet (in the group's pending entries list).",
  delivered: "Delivered to the stream, not yet read by this group: its id is above the group's last-delivered-id.",
  acked:
    "At or below the group's last-delivered-id and not pending: acked, or skipped because the group was created or moved (SETID) past it, read with NOACK, or its consumer was deleted.",
};
