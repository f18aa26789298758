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
import { badRequest } from "@/lib/errors";
import { requireGroup } from "@/lib/pending/group";
import { RecordedScript } from "@/lib/redis/lua";
import { translated } from "@/lib/redis/errors";
import { readConsumers } from "@/lib/streams/consumers";
import { consumerInactiveMs, parseConsumers, type ConsumerInfo } from "@/lib/streams/xinfo";

/** Pending messages one script call looks at. */
export const REAP_BATCH = 100;

/**
 * One step of reaping one consumer, atomic: its oldest REAP_BATCH pending messages go to ARGV[3]
 * (XCLAIM JUSTID: delivery counts unchanged), then the consumer is deleted only if it owns nothing.
 * When one of them was touched since (idle below ARGV[4] ms), the consumer woke up: it keeps
 * everything it still owns, and is not deleted.
 * KEYS: [stream]. ARGV: group, consumer, to ('' for nobody), idleMs, batch.
 * Returns {handed over, "deleted" | "woke" | "more" | "kept"}.
 */
const reapStep = new RecordedScript(
  "reap-consumer",
  "",
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
  idle.sort((a, b) => (age(a) === age(b) ? a.name.localeCompare(b.name) : age(b) - age(a)));
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

/**
 * Reaps the group's consumers inactive at least `idleMs`: each one's messages idle that long go to
 * a live consumer, a step of REAP_BATCH at a time, and it is deleted once it owns nothing (see
 * reapStep). With no live consumer, consumers that own nothing are still deleted and the others
 * kept. A dry run lists what would happen and changes nothing. `limits` bounds the consumers looked
 * at and the messages handed over (the worker passes what is left of its tick's budget).
 */
export async function reapConsumers(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: ReapBody,
  limits: { consumers: number; messages: number } = {
    consumers: REAP_CONSUMERS_PER_CALL,
    messages: REAP_MESSAGES_PER_CALL,
  },
): Promise<ReapResponse> {
  const { group: info } = await requireGroup(redis, stream, group);
  const { listed, consumers } = await listConsumers(redis, stream, group, info.consumerCount, body.bulk ?? false);
  if (body.to !== undefined && !consumers.some((c) => c.name === body.to) && listed === "all")
    throw badRequest(`Group "${group}" has no consumer "${body.to}" to hand messages to`);
  const chosen = choose(consumers, body.idleMs, body.to);
  const batch = chosen.idle.slice(0, limits.consumers);
  const out: ReapResponse = {
    dryRun: body.dryRun ?? false,
    consumers: [],
    consumersOmitted: 0,
    handedOver: 0,
    requeued: 0,
    deleted: 0,
    to: chosen.to,
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
  for (const c of batch) {
    if (!out.dryRun && c.pending === 0) continue;
    if (out.dryRun) {
      const outcome = c.pending === 0 || chosen.to ? "deleted" : "kept";
      out.consumers.push({ ...c, outcome });
      if (outcome === "deleted") out.deleted++;
      if (chosen.to) out.handedOver += c.pending;
      continue;
    }
    if (out.handedOver >= limits.messages) {
      out.more = true;
      break;
    }
    const done = await reapConsumer(redis, stream, group, c.name, {
      to: chosen.to ?? "",
      idleMs: body.idleMs,
      budget: limits.messages - out.handedOver,
    });
    out.handedOver += done.handedOver;
    if (done.outcome === "deleted") out.deleted++;
    out.consumers.push({ ...c, outcome: done.outcome });
  }
  out.consumersOmitted = Math.max(0, out.consumers.length - REAP_CONSUMERS_LISTED);
  out.consumers = out.consumers.slice(0, REAP_CONSUMERS_LISTED);
  return out;
}

/**
 * Reaps one consumer listed as idle: steps of reapStep until it is deleted, keeps what it touched
 * (woke), or `budget` messages were handed over. The listing may be old by then: each step checks
 * the messages' idle times again inside Redis.
 */
export async function reapConsumer(
  redis: RedisConnection,
  stream: string,
  group: string,
  consumer: string,
  opts: { to: string; idleMs: number; budget: number },
): Promise<{ outcome: ReapOutcome; handedOver: number }> {
  let handedOver = 0;
  for (;;) {
    const [moved, state] = (await translated(() =>
      reapStep.runOnce(redis, [stream], [group, consumer, opts.to, opts.idleMs, REAP_BATCH]),
    )) as [number, string];
    handedOver += moved;
    if (state === "deleted") return { outcome: "deleted", handedOver };
    // A step that moved nothing yet left messages (entries vanishing meanwhile) is not repeated forever.
    if (state !== "more" || moved === 0 || handedOver >= opts.budget)
      return { outcome: state === "woke" ? "woke" : "kept", handedOver };
  }
}
