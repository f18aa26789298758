import "server-only";
import { deadLetterTarget } from "@/lib/config/resolve";
import { isCluster, type RedisConnection } from "@/lib/redis/connection";
import type { ConsumerRow, GroupDetailResponse } from "@/lib/contract/pending";
import { getGroupRule } from "@/lib/config/settings";
import { notFound } from "@/lib/errors";
import { assertStreamType } from "@/lib/streams/assert-stream";
import { readConsumers } from "@/lib/streams/consumers";
import { idAgeMs, readFirstUndelivered, readOldestPending, readStreamInfo } from "@/lib/streams/snapshot";
import { readDrains } from "@/lib/history/drain";
import { boundedLag, consumerInactiveMs, parseGroups, type ConsumerInfo, type GroupInfo } from "@/lib/streams/xinfo";

export interface GroupContext {
  group: GroupInfo;
  /** How many groups read the stream (requeue needs allGroups when more than one). */
  groupCount: number;
}

/** 404 for a missing stream or group, 409 for a key of another type; else the group's facts. */
export async function requireGroup(redis: RedisConnection, stream: string, group: string): Promise<GroupContext> {
  // TYPE and XINFO GROUPS go out together (one round trip); the type speaks first for a missing
  // key or another type, whose XINFO error is then dropped.
  const [type, reply] = await Promise.all([
    redis.type(stream),
    redis.call("XINFO", "GROUPS", stream).then(
      (value: unknown) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  ]);
  assertStreamType(stream, type);
  if ("error" in reply) throw reply.error;
  const groups = parseGroups(reply.value);
  const found = groups.find((g) => g.name === group);
  if (!found) throw notFound(`Stream "${stream}" has no consumer group "${group}"`);
  return { group: found, groupCount: groups.length };
}

/**
 * A consumer is dead when it owns pending messages and has had no successful read or claim
 * for longer than the group's stuck threshold. `inactive` is read when the server reports it
 * (7.2+); on 7.0 `idle` has that meaning (consumerInactiveMs). In a group over the consumer
 * cap, the idle of the consumer's oldest pending message stands in (an upper bound of its
 * inactivity: "possibly dead").
 */
export function toConsumerRow(c: ConsumerInfo, stuckAfterMs: number): ConsumerRow {
  const inactive = consumerInactiveMs(c);
  return {
    name: c.name,
    pending: c.pending,
    idleMs: c.idleMs,
    inactiveMs: c.inactiveMs === null && c.idleMs === null ? null : Number.isFinite(inactive) ? inactive : null,
    dead: c.pending > 0 && inactive > stuckAfterMs,
  };
}

/**
 * The group's facts, consumers and lag in time: the oldest entry not yet delivered
 * (`XRANGE key (last-delivered-id + COUNT 1`), the oldest pending (`XPENDING key group - + 1`)
 * and the drain rate from the group's history samples (lib/history/drain.ts).
 */
export async function getGroupDetail(
  redis: RedisConnection,
  stream: string,
  group: string,
  now: number = Date.now(),
): Promise<GroupDetailResponse> {
  const { group: info } = await requireGroup(redis, stream, group);
  const ref = { stream, group, lastDeliveredId: info.lastDeliveredId };
  const [consumersReply, rule, streamInfo, [undelivered], [oldest]] = await Promise.all([
    readConsumers(redis, { stream, group, consumerCount: info.consumerCount }),
    getGroupRule(redis, stream, group),
    readStreamInfo(redis, stream),
    readFirstUndelivered(redis, [ref]),
    info.pending > 0 ? readOldestPending(redis, [ref]) : [null],
  ]);
  const lag = boundedLag(info, streamInfo);
  const [drain] = await readDrains(redis, [{ stream, group, lag }], now);
  return {
    ...info,
    lag,
    lagMs: idAgeMs(undelivered ?? null, now),
    oldestPendingMs: oldest ? idAgeMs(oldest.id, now) : null,
    drain: drain ?? null,
    stuckAfterMs: rule.stuckAfterMs,
    deadLetterTarget: deadLetterTarget(rule.deadLetter, stream, { cluster: isCluster(redis) }),
    reapPolicy: rule.reapPolicy,
    consumers: consumersReply.consumers.map((c) => toConsumerRow(c, rule.stuckAfterMs)),
    consumersListed: consumersReply.listed,
    consumersOmitted: consumersReply.omitted,
  };
}
