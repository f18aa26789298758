import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  REAP_CONSUMERS_LISTED,
  REAP_CONSUMERS_PER_CALL,
  REAP_MESSAGES_PER_CALL,
  type ReapBody,
  type ReapOutcome,
  type ReapResponse,
} from "@/lib/contract/reap";
import type { ReapPolicy, ResolvedGroupRule } from "@/lib/contract/config";
import { AppError, badRequest } from "@/lib/errors";
import { requireGroup } from "@/lib/pending/group";
import { RecordedScript } from "@/lib/redis/lua";
import { translated } from "@/lib/redis/errors";
import { readConsumers } from "@/lib/streams/consumers";
import { formatDuration } from "@/lib/shared/format";
import { runBatches, type BatchControl, type Tally } from "./batches";
import { moveScriptBatch } from "./move";
import { ENTRY_READS } from "./scripts";
import { consumerInactiveMs, parseConsumers, type ConsumerInfo } from "@/lib/streams/xinfo";

/** Pending messages one script call looks at. */
export const REAP_BATCH = 100;

/**
 * One step of reaping one consumer, atomic. It looks at the consumer's oldest REAP_BATCH pending
 * messages; when one of them was touched since (idle below ARGV[4] ms), the consumer woke up: it
 * keeps everything it still owns, and is not deleted. A consumer that owns nothing is deleted.
 * Mode `hand-over`: the messages go to ARGV[3] (XCLAIM JUSTID: delivery counts unchanged), then
 * the consumer is deleted if it owns nothing. Mode `requeue`: messages whose entry is gone are
 * dropped from the PEL (as XCLAIM drops them on a hand-over) and the others' ids are answered for
 * the move script to requeue (it checks again, per id, that each is still this consumer's and idle
 * that long), as many as fit in about SCRIPT_ENTRY_BYTES of entries (each is read to tell whether
 * it is gone); the next step deletes the consumer once it owns nothing.
 * KEYS: [stream]. ARGV: group, consumer, to ('' for nobody), idleMs, batch, mode.
 * Returns {handed over, "deleted" | "woke" | "more" | "kept"}, or {0, "requeue", id...}.
 */
const reapStep = new RecordedScript(
  "reap-consumer",
  ENTRY_READS,
  `local key, group, consumer, to, idle = KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local rows = redis.call('XPENDING', key, group, '-', '+', tonumber(ARGV[5]), consumer)
if #rows == 0 then
  redis.call('XGROUP', 'DELCONSUMER', key, group, consumer)
  return {0, 'deleted'}
end
local ids, fresh = {}, 0
for _, r in ipairs(rows) do
  if r[3] >= idle then ids[#ids + 1] = r[1] else fresh = fresh + 1 end
end
if fresh > 0 then return {0, 'woke'} end
if ARGV[6] == 'requeue' then
  local out = {0, 'requeue'}
  for _, id in ipairs(ids) do
    if over_budget() then break end
    if entry_fields(key, id) then out[#out + 1] = id
    else redis.call('XACK', key, group, id) end
  end
  return out
end
if to == '' then return {0, 'kept'} end
local moved = #redis.call('XCLAIM', key, group, to, idle, unpack(ids), 'JUSTID')
if #redis.call('XPENDING', key, group, '-', '+', 1, consumer) == 0 then
  redis.call('XGROUP', 'DELCONSUMER', key, group, consumer)
  return {moved, 'deleted'}
end
return {moved, 'more'}`,
);

/**
 * Deletes each named consumer that still owns nothing, atomic per call: the leak of consumers that
 * never kept a message goes REAP_BATCH at a time. KEYS: [stream]. ARGV: group, consumer...
 * Returns the names deleted.
 */
const reapEmptyStep = new RecordedScript(
  "reap-empty-consumers",
  "",
  `local key, group = KEYS[1], ARGV[1]
local deleted = {}
for i = 2, #ARGV do
  if #redis.call('XPENDING', key, group, '-', '+', 1, ARGV[i]) == 0 then
    redis.call('XGROUP', 'DELCONSUMER', key, group, ARGV[i])
    deleted[#deleted + 1] = ARGV[i]
  end
end
return deleted`,
);

interface Candidate {
  name: string;
  pending: number;
  inactiveMs: number | null;
}

/** Consumers over the idle threshold, and the live one that takes their messages. */
function choose(consumers: readonly ConsumerInfo[], idleMs: number, to: string | undefined) {
  const idle: Candidate[] = [];
  let live: { name: string; inactive: number } | null = null;
  for (const c of consumers) {
    // Infinity: a consumer that never read (7.2+ `inactive` -1), idle for good; NaN: unknown.
    const ms = consumerInactiveMs(c);
    if (c.name === to || Number.isNaN(ms)) continue;
    if (ms >= idleMs) idle.push({ name: c.name, pending: c.pending, inactiveMs: Number.isFinite(ms) ? ms : null });
    else if (!live || ms < live.inactive) live = { name: c.name, inactive: ms };
  }
  const age = (c: Candidate) => c.inactiveMs ?? Number.POSITIVE_INFINITY;
  idle.sort((a, b) => (age(a) !== age(b) ? age(b) - age(a) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { idle, to: to ?? live?.name ?? null };
}

async function listConsumers(
  redis: RedisConnection,
  stream: string,
  group: string,
  consumerCount: number,
  bulk: boolean,
) {
  if (bulk) {
    const consumers = parseConsumers(await translated(() => redis.call("XINFO", "CONSUMERS", stream, group)));
    return { listed: "all" as const, consumers };
  }
  const list = await readConsumers(redis, { stream, group, consumerCount });
  return { listed: list.listed, consumers: list.consumers };
}

/** What the group rule says about reaping (resolveGroupRule). */
export type ReapRule = Pick<ResolvedGroupRule, "reapPolicy" | "allGroups">;

export const HAND_OVER: ReapRule = { reapPolicy: "hand-over", allGroups: false };

function needsAllGroups(stream: string, groupCount: number): AppError {
  return new AppError(
    "REQUEUE_NEEDS_ALL_GROUPS",
    `Stream "${stream}" is read by ${groupCount} groups: a requeued copy would reach every group. ` +
      "Pass allGroups: true (or set allGroups in the group rule) to requeue anyway, or reap by hand-over.",
  );
}

/**
 * Reaps the group's consumers inactive at least `idleMs`, by the group rule's reapPolicy: each
 * one's messages idle that long go to a live consumer (hand-over) or back onto the stream as new
 * entries (requeue, the requeue move of lib/actions/move.ts), a step of REAP_BATCH at a time, and
 * it is deleted once it owns nothing (see reapStep). Under hand-over with no live consumer,
 * consumers that own nothing are still deleted and the others kept. A dry run lists what would
 * happen and changes nothing. `limits` bounds the consumers looked at and the messages moved (the
 * worker passes what is left of its tick's budget).
 */
export async function reapConsumers(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: ReapBody,
  rule: ReapRule = HAND_OVER,
  limits: { consumers: number; messages: number } = {
    consumers: REAP_CONSUMERS_PER_CALL,
    messages: REAP_MESSAGES_PER_CALL,
  },
): Promise<ReapResponse> {
  const policy = rule.reapPolicy;
  const allGroups = body.allGroups ?? rule.allGroups;
  if (policy === "requeue" && body.to !== undefined)
    throw badRequest(`Group "${group}" reaps by requeue: no consumer takes the messages (leave out "to")`);
  const { group: info, groupCount } = await requireGroup(redis, stream, group);
  const { listed, consumers } = await listConsumers(redis, stream, group, info.consumerCount, body.bulk ?? false);
  if (body.to !== undefined && !consumers.some((c) => c.name === body.to) && listed === "all")
    throw badRequest(`Group "${group}" has no consumer "${body.to}" to hand messages to`);
  const chosen = choose(consumers, body.idleMs, body.to);
  const to = policy === "requeue" ? null : chosen.to;
  const batch = chosen.idle.slice(0, limits.consumers);
  if (policy === "requeue" && groupCount > 1 && !allGroups && batch.some((c) => c.pending > 0))
    throw needsAllGroups(stream, groupCount);
  const out: ReapResponse = {
    dryRun: body.dryRun ?? false,
    policy,
    consumers: [],
    consumersOmitted: 0,
    handedOver: 0,
    requeued: 0,
    deleted: 0,
    to,
    listed,
    more: chosen.idle.length > batch.length,
  };
  if (!out.dryRun) {
    const empty = batch.filter((c) => c.pending === 0);
    for (let i = 0; i < empty.length; i += REAP_BATCH) {
      const names = empty.slice(i, i + REAP_BATCH);
      const gone = new Set(
        (await translated(() =>
          reapEmptyStep.runOnce(redis, [stream], [group, ...names.map((c) => c.name)]),
        )) as string[],
      );
      out.deleted += gone.size;
      for (const c of names) out.consumers.push({ ...c, outcome: gone.has(c.name) ? "deleted" : "woke" });
    }
  }
  const moved = () => out.handedOver + out.requeued;
  for (const c of batch) {
    if (!out.dryRun && c.pending === 0) continue;
    if (out.dryRun) {
      const outcome = c.pending === 0 || to || policy === "requeue" ? "deleted" : "kept";
      out.consumers.push({ ...c, outcome });
      if (outcome === "deleted") out.deleted++;
      if (policy === "requeue") out.requeued += c.pending;
      else if (to) out.handedOver += c.pending;
      continue;
    }
    if (moved() >= limits.messages) {
      out.more = true;
      break;
    }
    const done = await reapConsumer(redis, stream, group, c.name, {
      to: to ?? "",
      idleMs: body.idleMs,
      budget: limits.messages - moved(),
      policy,
      allGroups,
    });
    out.handedOver += done.handedOver;
    out.requeued += done.requeued ?? 0;
    if (done.outcome === "deleted") out.deleted++;
    out.consumers.push({ ...c, outcome: done.outcome });
  }
  out.consumersOmitted = Math.max(0, out.consumers.length - REAP_CONSUMERS_LISTED);
  out.consumers = out.consumers.slice(0, REAP_CONSUMERS_LISTED);
  return out;
}

/**
 * The consumers a reap would look at now (inactive at least `idleMs`, `to` excepted), from one
 * listing: a bulk job's total, approximate as consumers come and go meanwhile.
 */
export async function countReapCandidates(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: Pick<ReapBody, "idleMs" | "to" | "bulk">,
): Promise<number> {
  const { group: info } = await requireGroup(redis, stream, group);
  const { consumers } = await listConsumers(redis, stream, group, info.consumerCount, body.bulk ?? false);
  return choose(consumers, body.idleMs, body.to).idle.length;
}

/** A bulk reap job's answer: the sums of its calls. */
export interface ReapAllResult {
  policy: ReapPolicy;
  deleted: number;
  /** Consumers the last call looked at and did not delete (kept or woke). */
  kept: number;
  handedOver: number;
  requeued: number;
  to: string | null;
  calls: number;
  /** Idle consumers were left: the last call changed nothing (all kept), or the job was cancelled. */
  more: boolean;
}

/**
 * The bulk reaper of a background job: reapConsumers calls (each bounded by its per-call limits)
 * until no idle consumer is left, a call changes nothing (every one left is kept), or the job is
 * cancelled (checked before each call). Progress after each call: ok = consumers deleted so far,
 * skipped = consumers the last call kept (a kept consumer still idle is looked at again by the next).
 */
export async function reapAll(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: ReapBody,
  rule: ReapRule,
  control: BatchControl = {},
): Promise<{ answer: ReapAllResult; tally: Tally & { stopped?: true } }> {
  const answer: ReapAllResult = {
    policy: rule.reapPolicy,
    deleted: 0,
    kept: 0,
    handedOver: 0,
    requeued: 0,
    to: null,
    calls: 0,
    more: true,
  };
  const tally = (): Tally => ({ ok: answer.deleted, skipped: answer.kept, deleted: 0 });
  for (;;) {
    if (await control.shouldStop?.()) return { answer, tally: { ...tally(), stopped: true } };
    const res = await reapConsumers(redis, stream, group, { ...body, bulk: true, dryRun: false }, rule);
    answer.calls++;
    answer.deleted += res.deleted;
    answer.handedOver += res.handedOver;
    answer.requeued += res.requeued;
    answer.kept = res.consumers.length + res.consumersOmitted - res.deleted;
    answer.to = res.to;
    answer.more = res.more;
    await control.onProgress?.(tally());
    if (!res.more || res.deleted + res.handedOver + res.requeued === 0) return { answer, tally: tally() };
  }
}

async function* onePage(ids: string[]): AsyncGenerator<string[]> {
  yield ids;
}

export interface ReapConsumerOptions {
  /** Hand-over: the consumer that takes the messages ('' for nobody: a consumer that owns some is kept). */
  to: string;
  idleMs: number;
  /** Messages moved after which it stops (checked after each step). */
  budget: number;
  policy?: ReapPolicy;
  /** Requeue on a stream read by several groups (else the move script refuses). */
  allGroups?: boolean;
}

/**
 * Reaps one consumer listed as idle: steps of reapStep until it is deleted, keeps what it touched
 * (woke), or `budget` messages were moved. The listing may be old by then: each step checks the
 * messages' idle times again inside Redis. Under requeue, each step's ids go through the requeue
 * move script (per id, atomically: still pending, still this consumer's, still idle `idleMs`).
 */
export async function reapConsumer(
  redis: RedisConnection,
  stream: string,
  group: string,
  consumer: string,
  opts: ReapConsumerOptions,
): Promise<{ outcome: ReapOutcome; handedOver: number; requeued?: number }> {
  const requeue = opts.policy === "requeue";
  const move = requeue
    ? moveScriptBatch(redis, {
        stream,
        group,
        mode: "requeue",
        target: stream,
        reason: `reaped: consumer ${consumer} inactive over ${formatDuration(opts.idleMs)}`,
        allGroups: opts.allGroups ?? false,
        filter: { consumer, minIdleMs: opts.idleMs },
      })
    : null;
  let handedOver = 0;
  let requeued = 0;
  let stalled = false;
  const done = (outcome: ReapOutcome) => ({ outcome, handedOver, ...(requeue ? { requeued } : {}) });
  for (;;) {
    const [claimed, state, ...ids] = (await translated(() =>
      reapStep.runOnce(redis, [stream], [group, consumer, opts.to, opts.idleMs, REAP_BATCH, requeue ? "requeue" : ""]),
    )) as [number, string, ...string[]];
    handedOver += claimed;
    if (state === "deleted") return done("deleted");
    if (move && state === "requeue") {
      // Only entries deleted from the stream were left (dropped by the step): the next step decides.
      if (ids.length === 0) continue;
      const tally = await translated(() => runBatches(onePage(ids), move, false));
      requeued += tally.ok;
      // None requeued: each was touched, acked or taken between the two scripts; once is a race, twice is a wake-up.
      if (tally.ok === 0 && stalled) return done("woke");
      stalled = tally.ok === 0;
      if (requeued >= opts.budget) return done("kept");
      continue;
    }
    // A step that moved nothing yet left messages (entries vanishing meanwhile) is not repeated forever.
    if (state !== "more" || claimed === 0 || handedOver >= opts.budget) return done(state === "woke" ? "woke" : "kept");
  }
}
