import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { getEnv } from "@/lib/env";
import { pipelineForKeys, type PipelineResult } from "@/lib/redis/keyspace";
import { MAX_PENDING_PAGE } from "@/lib/contract/pending";
import { pelCursor, readPelPages, type PelCursor } from "@/lib/pending/pel";
import { parseConsumers, type ConsumerInfo } from "@/lib/streams/xinfo";

/**
 * The one reader of a group's consumers. XINFO CONSUMERS is O(consumers) inside Redis (50-95 ms
 * on 100,000 consumers), so it runs only when the group's consumer count (from XINFO GROUPS) is
 * at most CONSUMER_LIST_CAP. So is the XPENDING summary (it walks every consumer, 11 ms on
 * 100,000). Above the cap, the owners of pending messages are found by walking the PEL with
 * the PEL pager (pages of 1000), at most OWNER_SCAN_BUDGET entries (exact owners and counts
 * when the PEL is no longer; else "oldest-pending-owners": those among its oldest entries by id).
 * The PENDING_OWNERS_CAP with most pending are kept; their idle and inactive times are unknown
 * (null); the idle of each one's oldest pending message (the first of its entries met) stands in
 * for the dead-consumer check, an upper bound of its inactivity.
 */
export const PENDING_OWNERS_CAP = 1000;
export const OWNER_SCAN_BUDGET = 10_000;

export interface ConsumerList {
  /**
   * "all": every consumer (XINFO CONSUMERS); "pending-owners": the group is over the cap, the
   * owners of pending messages; "oldest-pending-owners": the same, from the oldest
   * OWNER_SCAN_BUDGET pending messages only (a longer PEL), pending counts among those.
   */
  listed: "all" | "pending-owners" | "oldest-pending-owners";
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

interface OwnerWalk {
  index: number;
  target: ConsumerTarget;
  owners: Map<string, ConsumerInfo>;
  cursor: PelCursor;
  done: boolean;
}

/** One pipeline per 500 groups, plus one per 1000 PEL entries walked for groups over the cap. */
export async function readConsumersMany(
  redis: RedisConnection,
  targets: readonly ConsumerTarget[],
): Promise<ConsumerList[]> {
  if (targets.length === 0) return [];
  const cap = consumerListCap();
  const lists: ConsumerList[] = new Array<ConsumerList>(targets.length);
  const small = targets.map((t, index) => ({ t, index })).filter(({ t }) => t.consumerCount <= cap);
  const walks: OwnerWalk[] = targets
    .map((target, index) => ({
      index,
      target,
      owners: new Map<string, ConsumerInfo>(),
      cursor: pelCursor(target.stream, target.group),
      done: false,
    }))
    .filter((w) => w.target.consumerCount > cap);

  if (small.length > 0) {
    let at = 0;
    const replies = await pipelineForKeys(
      redis,
      small.map(({ t }) => t.stream),
      (pipe, key) => pipe.call("XINFO", "CONSUMERS", key, small[at++]!.t.group),
    );
    replies.forEach((r, i) => {
      const { t, index } = small[i]!;
      const consumers = parseConsumers(ok(r[0]));
      lists[index] = { listed: "all", consumers, omitted: Math.max(0, t.consumerCount - consumers.length) };
    });
  }

  for (let open = walks; open.length > 0; open = open.filter((w) => !w.done)) {
    // Any reply error (the group vanished meanwhile) reads as an empty PEL.
    const pages = await readPelPages(
      redis,
      open.map((w) => ({ cursor: w.cursor, count: MAX_PENDING_PAGE })),
      { onError: () => "empty" },
    );
    open.forEach((w, i) => {
      const page = pages[i]!;
      for (const e of page) {
        const owner = w.owners.get(e.consumer);
        if (owner) owner.pending++;
        else
          w.owners.set(e.consumer, {
            name: e.consumer,
            pending: 1,
            idleMs: null,
            inactiveMs: null,
            oldestPendingIdleMs: e.idleMs,
          });
      }
      w.done = w.cursor.done || w.cursor.read >= OWNER_SCAN_BUDGET;
      if (w.done) {
        const owners = [...w.owners.values()].sort((a, b) => b.pending - a.pending || a.name.localeCompare(b.name));
        const consumers = owners.slice(0, PENDING_OWNERS_CAP);
        lists[w.index] = {
          listed: w.cursor.done ? "pending-owners" : "oldest-pending-owners",
          consumers,
          omitted: Math.max(0, w.target.consumerCount - consumers.length),
        };
      }
    });
  }
  return lists;
}

export async function readConsumers(redis: RedisConnection, target: ConsumerTarget): Promise<ConsumerList> {
  return (await readConsumersMany(redis, [target]))[0]!;
}
