import "server-only";
import type Redis from "ioredis";
import { getEnv } from "@/lib/env";
import { pipelineForKeys, type PipelineResult } from "@/lib/redis/keyspace";
import { parseConsumers, parsePendingRange, parsePendingSummary, type ConsumerInfo } from "@/lib/streams/xinfo";

/**
 * The one reader of a group's consumers. XINFO CONSUMERS is O(consumers) inside Redis (26-45 ms
 * on 100,000 consumers), so it runs only when the group's consumer count (from XINFO GROUPS) is
 * at most CONSUMER_LIST_CAP. Above it, the consumers owning pending messages are read from the
 * XPENDING summary (O(owners)), the PENDING_OWNERS_CAP with most pending kept; their idle and
 * inactive times are unknown (null). For the DEAD_CHECK_OWNERS with most pending, one
 * `XPENDING key group - + 1 consumer` reads the idle of their oldest pending message, an upper
 * bound of their inactivity, which the dead-consumer check uses instead.
 */
export const PENDING_OWNERS_CAP = 1000;
export const DEAD_CHECK_OWNERS = 100;

export interface ConsumerList {
  /** "all": every consumer (XINFO CONSUMERS); "pending-owners": the group is over the cap. */
  listed: "all" | "pending-owners";
  consumers: ConsumerInfo[];
  /** Consumers of the group not in `consumers`. */
  omitted: number;
}

export interface ConsumerTarget {
  stream: string;
  group: string;
  /** From XINFO GROUPS. */
  consumerCount: number;
}

export function consumerListCap(): number {
  return getEnv().CONSUMER_LIST_CAP;
}

function ok(r: PipelineResult | undefined): unknown {
  if (!r || r[0]) return undefined;
  return r[1];
}

/** One pipeline per 500 groups, plus one for the dead check of groups over the cap. */
export async function readConsumersMany(redis: Redis, targets: readonly ConsumerTarget[]): Promise<ConsumerList[]> {
  if (targets.length === 0) return [];
  const cap = consumerListCap();
  let at = 0;
  const first = await pipelineForKeys(
    redis,
    targets.map((t) => t.stream),
    (pipe, key) => {
      const t = targets[at++]!;
      if (t.consumerCount <= cap) pipe.call("XINFO", "CONSUMERS", key, t.group);
      else pipe.call("XPENDING", key, t.group);
    },
  );
  const lists = first.map<ConsumerList>((replies, i) => {
    const t = targets[i]!;
    if (t.consumerCount <= cap) {
      const consumers = parseConsumers(ok(replies[0]));
      return { listed: "all", consumers, omitted: Math.max(0, t.consumerCount - consumers.length) };
    }
    const owners = parsePendingSummary(ok(replies[0])).consumers;
    owners.sort((a, b) => b.pending - a.pending || a.name.localeCompare(b.name));
    const consumers = owners.slice(0, PENDING_OWNERS_CAP).map<ConsumerInfo>((o) => ({
      name: o.name,
      pending: o.pending,
      idleMs: null,
      inactiveMs: null,
      oldestPendingIdleMs: null,
    }));
    return { listed: "pending-owners", consumers, omitted: Math.max(0, t.consumerCount - consumers.length) };
  });

  const checks: { stream: string; group: string; consumer: ConsumerInfo }[] = [];
  lists.forEach((l, i) => {
    if (l.listed !== "pending-owners") return;
    const t = targets[i]!;
    for (const consumer of l.consumers.slice(0, DEAD_CHECK_OWNERS)) checks.push({ stream: t.stream, group: t.group, consumer });
  });
  if (checks.length > 0) {
    let c = 0;
    const replies = await pipelineForKeys(
      redis,
      checks.map((x) => x.stream),
      (pipe, key) => {
        const x = checks[c++]!;
        pipe.call("XPENDING", key, x.group, "-", "+", 1, x.consumer.name);
      },
    );
    replies.forEach((r, i) => {
      const oldest = parsePendingRange(ok(r[0]))[0];
      checks[i]!.consumer.oldestPendingIdleMs = oldest ? oldest.idleMs : null;
    });
  }
  return lists;
}

export async function readConsumers(redis: Redis, target: ConsumerTarget): Promise<ConsumerList> {
  return (await readConsumersMany(redis, [target]))[0]!;
}
