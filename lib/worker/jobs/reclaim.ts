import "server-only";
import { entriesByIdRounds } from "@/lib/streams/entries-by-id";
import { BatchSizer } from "@/lib/streams/answer-limits";
import { isCluster, type RedisConnection } from "@/lib/redis/connection";
import { deadLetterIds, requeueIds } from "@/lib/actions/move";
import { deadLetterTarget, resolveGroupRule } from "@/lib/config/resolve";
import type { ResolvedGroupRule } from "@/lib/contract/config";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import { workerSettingsOf } from "@/lib/config/settings";
import { formatDuration } from "@/lib/shared/format";
import { decodeEntries } from "@/lib/streams/codec";
import { readConsumers } from "@/lib/streams/consumers";
import { pelCursor, pelPages } from "@/lib/pending/pel";
import { consumerInactiveMs, type GroupInfo, type PendingEntry } from "@/lib/streams/xinfo";
import type { GroupSnapshot } from "@/lib/streams/snapshot";
import { keptGroupUnder, readFreshStuckSnapshot, type StuckSnapshot } from "@/lib/streams/stuck-snapshot";
import { ChangeMemo, markChanged, streamsFor } from "../tick-streams";
import type { JobContext, JobResult, WorkerJob } from "../types";
import { errorText } from "@/lib/redis/errors";

/** The metadata field a requeued copy carries: deliveries before the requeue. */
const DELIVERIES_FIELD = DEAD_LETTER_FIELDS.deliveries;
const PAGE = 100;
const REASON = "worker: stuck";

export interface ReclaimCounts {
  groupsChecked: number;
  examined: number;
  stuck: number;
  reassigned: number;
  requeued: number;
  deadLettered: number;
  deleted: number;
  skippedMultiGroup: number;
  noLiveConsumer: number;
  failed: number;
}

interface GroupContext {
  redis: RedisConnection;
  stream: string;
  group: Pick<GroupInfo, "name" | "consumerCount">;
  groupCount: number;
  rule: ResolvedGroupRule;
  /** Messages this group may still act on (the tick's remaining reclaim budget). */
  budget: number;
  /** Told what the PEL scan saw: entries read and the longest idle among them. */
  scanned?: (seen: { examined: number; maxIdleMs: number; stuck: number }) => void;
}

/** What reclaim remembers of a stream it left alone: per group, when it read the PEL and the longest idle then. */
type ReclaimSeen = Record<string, { at: number; maxIdleMs: number }>;

/** A group whose PEL looked fine is read again at least this often, whatever the idle bound says. */
const RESCAN_MS = 60_000;

/**
 * True when no pending message of the group can be stuck yet: the stream has not changed since
 * the PEL was read whole, its longest idle then plus the time since is under the threshold, and
 * the oldest pending message (read this tick) is not stuck either. Idle only grows with time, so
 * a message becomes stuck on an unchanged stream exactly when this bound runs out.
 */
function cannotBeStuck(
  seen: ReclaimSeen[string] | undefined,
  group: GroupSnapshot,
  stuckAfterMs: number,
  clock: number,
): boolean {
  if (!seen || clock - seen.at >= RESCAN_MS) return false;
  if (group.oldestPending && group.oldestPending.idleMs >= stuckAfterMs) return false;
  return seen.maxIdleMs + (clock - seen.at) < stuckAfterMs;
}

/** Stuck entries (idle over the threshold) among the first `limit` of the PEL, in id order. */
export async function findStuck(
  redis: RedisConnection,
  stream: string,
  group: string,
  stuckAfterMs: number,
  limit: number,
): Promise<{ stuck: PendingEntry[]; examined: number; commands: number; maxIdleMs: number }> {
  const stuck: PendingEntry[] = [];
  let maxIdleMs = 0;
  const cursor = pelCursor(stream, group);
  for await (const page of pelPages(redis, cursor, { pageSize: PAGE, maxEntries: limit })) {
    for (const e of page) {
      if (e.idleMs >= stuckAfterMs) stuck.push(e);
      maxIdleMs = Math.max(maxIdleMs, e.idleMs);
    }
  }
  return { stuck, examined: cursor.read, commands: cursor.calls, maxIdleMs };
}

/** Deliveries so far: XPENDING's count plus those a requeued copy carries from before. */
export async function totalDeliveries(
  redis: RedisConnection,
  stream: string,
  entries: PendingEntry[],
): Promise<number[]> {
  // Whole entries are read for one field: in rounds of about READ_BYTES, keeping only that field.
  const earlier: number[] = [];
  for await (const round of entriesByIdRounds(
    redis,
    stream,
    entries.map((e) => e.id),
  )) {
    for (const reply of round.replies) {
      let n = 0;
      for (const [name, value] of decodeEntries(reply)[0]?.fields ?? []) {
        if (name === DELIVERIES_FIELD && typeof value === "string" && /^\d+$/.test(value)) n = Number(value);
      }
      earlier.push(n);
    }
  }
  return entries.map((e, i) => e.deliveries + (earlier[i] ?? 0));
}

/**
 * The live consumer (active within the threshold) with the fewest pending, or the rule's. Over
 * the consumer cap only pending owners are known, none with a known activity: no target.
 */
async function reassignTarget(g: GroupContext): Promise<string | null> {
  if (g.rule.reassignTo) return g.rule.reassignTo;
  const { consumers } = await readConsumers(g.redis, {
    stream: g.stream,
    group: g.group.name,
    consumerCount: g.group.consumerCount,
  });
  const live = consumers.filter((c) => consumerInactiveMs(c) < g.rule.stuckAfterMs);
  live.sort((a, b) => a.pending - b.pending || a.name.localeCompare(b.name));
  return live[0]?.name ?? null;
}

/**
 * XAUTOCLAIM from the start of the PEL, looping the cursor until 0-0 or the budget is used. The
 * reply carries the claimed entries whole (no JUSTID: the claim must count as a delivery, which
 * maxDeliveries relies on), so each call's COUNT is sized in bytes by BatchSizer (1 until an entry
 * has been seen, then as many of that size as fit in READ_BYTES), and the reply is read as Buffers.
 * A small COUNT still makes progress: Redis examines up to COUNT × 10 PEL entries per call and the
 * cursor moves on.
 */
async function autoclaim(
  g: GroupContext,
  consumer: string,
  budget: number,
): Promise<{ claimed: number; deleted: number; commands: number }> {
  const sizer = new BatchSizer();
  let cursor = "0-0";
  let claimed = 0;
  let deleted = 0;
  let commands = 0;
  do {
    const count = Math.min(sizer.next(PAGE), budget - claimed);
    if (count <= 0) break;
    const reply = (await g.redis.callBuffer(
      "XAUTOCLAIM",
      g.stream,
      g.group.name,
      consumer,
      g.rule.stuckAfterMs,
      cursor,
      "COUNT",
      count,
    )) as [Buffer, unknown[], unknown[]?];
    commands++;
    cursor = reply[0].toString();
    const entries = Array.isArray(reply[1]) ? reply[1] : [];
    // Before 7.0 a deleted entry is a nil row among the claimed ones: it has no size to learn from.
    const rows = entries.filter(Array.isArray);
    sizer.seen([rows], rows.length);
    claimed += entries.length;
    deleted += Array.isArray(reply[2]) ? reply[2].length : 0;
  } while (cursor !== "0-0");
  return { claimed, deleted, commands };
}

export async function reclaimGroup(g: GroupContext, counts: ReclaimCounts, notes: string[]): Promise<number> {
  const { redis, stream, rule } = g;
  const group = g.group.name;
  const where = `${stream} / ${group}`;
  const found = await findStuck(redis, stream, group, rule.stuckAfterMs, Math.max(g.budget, PAGE));
  let commands = found.commands;
  g.scanned?.({ examined: found.examined, maxIdleMs: found.maxIdleMs, stuck: found.stuck.length });
  counts.examined += found.examined;
  counts.stuck += found.stuck.length;
  if (found.stuck.length === 0) return commands;
  if (rule.policy === "alert") {
    notes.push(
      `${where}: ${found.stuck.length} stuck over ${formatDuration(rule.stuckAfterMs)} (policy alert: reported only)`,
    );
    return commands;
  }
  const stuck = found.stuck.slice(0, g.budget);
  const totals = await totalDeliveries(redis, stream, stuck);
  commands += stuck.length;
  const overLimit = stuck.filter((_, i) => totals[i]! >= rule.maxDeliveries).map((e) => e.id);
  const retry = stuck.filter((_, i) => totals[i]! < rule.maxDeliveries).map((e) => e.id);

  if (overLimit.length) {
    const target = deadLetterTarget(rule.deadLetter, stream, { cluster: isCluster(redis) });
    const res = await deadLetterIds(redis, {
      stream,
      group,
      ids: overLimit,
      target,
      reason: `${REASON}, delivered ${rule.maxDeliveries}+ times`,
    });
    commands += Math.ceil(overLimit.length / 500);
    counts.deadLettered += res.moved;
    notes.push(
      `${where}: dead-lettered ${res.moved} to ${res.target} (delivered ${rule.maxDeliveries}+ times)${res.skipped ? `, ${res.skipped} skipped` : ""}`,
    );
  }
  if (retry.length === 0) return commands;

  if (rule.policy === "requeue") {
    if (g.groupCount > 1 && !rule.allGroups) {
      counts.skippedMultiGroup += retry.length;
      notes.push(
        `${where}: ${retry.length} stuck not requeued: the stream has ${g.groupCount} groups and a copy would reach every one (set allGroups: true, or use reassign)`,
      );
      return commands;
    }
    const res = await requeueIds(redis, {
      stream,
      group,
      ids: retry,
      reason: `${REASON} over ${formatDuration(rule.stuckAfterMs)}`,
      allGroups: rule.allGroups,
    });
    commands += Math.ceil(retry.length / 500);
    counts.requeued += res.requeued;
    notes.push(`${where}: requeued ${res.requeued}${res.skipped ? `, ${res.skipped} skipped` : ""}`);
    return commands;
  }

  const consumer = await reassignTarget(g);
  commands++;
  if (!consumer) {
    counts.noLiveConsumer += retry.length;
    notes.push(`${where}: ${retry.length} stuck, no live consumer to reassign them to`);
    return commands;
  }
  const res = await autoclaim(g, consumer, retry.length);
  commands += res.commands;
  counts.reassigned += res.claimed;
  counts.deleted += res.deleted;
  notes.push(
    `${where}: reassigned ${res.claimed} to ${consumer}${res.deleted ? ` (${res.deleted} deleted entries dropped from the PEL)` : ""}`,
  );
  return commands;
}

/**
 * The worker job: per group of the tick's streams with pending messages, the stuck ones (idle past
 * the group's threshold) are reassigned, requeued or dead-lettered by its rule's policy. Under the
 * `alert` policy they are only reported: from the kept stuck snapshot when it holds the group under
 * the same threshold, else by reading the pending list. A group that cannot hold a stuck message
 * yet (its stream unchanged since its list was read) is not read again.
 */
export const reclaimJob: WorkerJob = {
  name: "reclaim",
  cadenceMs: 15_000,
  changesStreams: true,
  async run(ctx: JobContext): Promise<JobResult> {
    const worker = workerSettingsOf(ctx.settings);
    const counts: ReclaimCounts = {
      groupsChecked: 0,
      examined: 0,
      stuck: 0,
      reassigned: 0,
      requeued: 0,
      deadLettered: 0,
      deleted: 0,
      skippedMultiGroup: 0,
      noLiveConsumer: 0,
      failed: 0,
    };
    const notes: string[] = [];
    const slice = await streamsFor(ctx, "reclaim");
    let commands = slice.commands;
    const memo = ChangeMemo.of<ReclaimSeen>(ctx, "reclaim");
    memo.prune(slice);
    let budget = worker.reclaimBatch;
    let kept: StuckSnapshot | null | undefined;
    for (const snapshot of slice.streams) {
      const stream = snapshot.key;
      const groups = snapshot.groups;
      const before = memo.unchanged(snapshot);
      const seen: ReclaimSeen = {};
      let settled = true;
      for (const group of groups) {
        counts.groupsChecked++;
        if (group.pending === 0) continue;
        const rule = resolveGroupRule(ctx.settings.groups, stream, group.name);
        if (cannotBeStuck(before?.[group.name], group, rule.stuckAfterMs, Date.now())) {
          seen[group.name] = before![group.name]!;
          continue;
        }
        if (rule.policy === "alert") {
          if (kept === undefined) kept = await readFreshStuckSnapshot(ctx.redis);
          const k = keptGroupUnder(kept, stream, group.name, rule.stuckAfterMs);
          if (k) {
            // Reported only: the count the stuck snapshot keeps (at most a few ticks old) instead of reading the list again.
            settled = false;
            counts.stuck += k.stuck;
            if (k.stuck > 0)
              notes.push(
                `${stream} / ${group.name}: ${k.stuck}${k.complete ? "" : "+"} stuck over ${formatDuration(rule.stuckAfterMs)} (policy alert: reported only, from the stuck snapshot)`,
              );
            continue;
          }
        }
        const scanStart = Date.now();
        const acted = counts.reassigned + counts.requeued + counts.deadLettered;
        await ctx.heartbeat();
        try {
          commands += await reclaimGroup(
            {
              redis: ctx.redis,
              stream,
              group,
              groupCount: groups.length,
              rule,
              budget: rule.policy === "alert" ? worker.reclaimBatch : budget,
              scanned: (s) => {
                if (s.stuck === 0 && s.examined >= group.pending)
                  seen[group.name] = { at: scanStart, maxIdleMs: s.maxIdleMs };
                else settled = false;
              },
            },
            counts,
            notes,
          );
        } catch (err) {
          // One group failing (deleted meanwhile, a bad dead-letter target) must not stop the others.
          settled = false;
          counts.failed++;
          notes.push(`${stream} / ${group.name}: failed: ${errorText(err)}`);
        }
        const moved = counts.reassigned + counts.requeued + counts.deadLettered - acted;
        if (moved > 0) markChanged(ctx, stream);
        budget -= moved;
        if (budget <= 0) {
          memo.forget(stream);
          notes.push(`reclaim budget (${worker.reclaimBatch} messages) used up; the rest next tick`);
          return { counts: { ...counts }, notes, commands };
        }
      }
      if (settled) memo.remember(snapshot, seen);
      else memo.forget(stream);
    }
    if (!slice.wrapped) notes.push(`looked at ${slice.keys.length} streams; the rest next tick`);
    return { counts: { ...counts }, notes, commands };
  },
};
