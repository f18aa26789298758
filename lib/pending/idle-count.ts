import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { MAX_PENDING_PAGE } from "@/lib/contract/pending";
import type { PendingEntry } from "@/lib/streams/xinfo";
import { emptyWhenMissing, pelCursor, readPelPages, type PelCursor } from "./pel";

/** Groups read per pipelined round: at most this × MAX_PENDING_PAGE PEL rows in one round trip. */
const GROUPS_PER_ROUND = 100;

export interface IdleCountTarget {
  stream: string;
  group: string;
  /** Entries idle at least this long are counted. */
  minIdleMs: number;
  /** The group's pending count (XINFO GROUPS): no more than this is asked for. */
  pending: number;
  /** Highest id to look at; `+` when omitted. */
  end?: string;
}

export interface IdleCount {
  /** Entries examined with idle >= minIdleMs. A lower bound when `complete` is false. */
  count: number;
  maxIdleMs: number;
  /** PEL entries examined. */
  scanned: number;
  /** false when a budget ran out before the end of the group's PEL range. */
  complete: boolean;
  /** The most delivered entry examined (the oldest id among equals); null when none. */
  mostDelivered: PendingEntry | null;
}

/**
 * Counts each group's pending entries idle at least `minIdleMs`, with bounded work: the PEL is
 * read by the PEL pager (plain `XPENDING key group start end <n>`, n <= 1000), groups pipelined,
 * and the idle filter applied here. XPENDING's IDLE option is not used: it skips non-matching entries without
 * counting them against COUNT, so on a huge fresh PEL one call walks everything.
 * At most `perGroupBudget` entries are read per group and `totalBudget` over all groups (in
 * target order); a group cut short reports `complete: false` and its count is a lower bound.
 * Trade-off: the PEL is read from `-` (id order) and older ids are usually the most idle, so
 * stuck entries are found first in practice, but one idled only by XCLAIM past the budget is missed.
 */
export async function countIdlePending(
  redis: RedisConnection,
  targets: readonly IdleCountTarget[],
  opts: { perGroupBudget?: number; totalBudget?: number } = {},
): Promise<IdleCount[]> {
  const perGroup = opts.perGroupBudget ?? Infinity;
  let totalLeft = opts.totalBudget ?? Infinity;
  const out: IdleCount[] = targets.map(() => ({
    count: 0,
    maxIdleMs: 0,
    scanned: 0,
    complete: false,
    mostDelivered: null,
  }));
  const cursors: PelCursor[] = targets.map((t) => pelCursor(t.stream, t.group, { end: t.end }));
  let open = targets
    .map((_, i) => i)
    .filter((i) => {
      if (targets[i]!.pending > 0) return true;
      out[i]!.complete = true;
      return false;
    });

  while (open.length > 0 && totalLeft > 0) {
    const round: { i: number; count: number }[] = [];
    for (const i of open) {
      if (round.length >= GROUPS_PER_ROUND || totalLeft <= 0) break;
      const t = targets[i]!;
      const count = Math.min(MAX_PENDING_PAGE, perGroup - out[i]!.scanned, t.pending - out[i]!.scanned, totalLeft);
      if (count <= 0) continue;
      round.push({ i, count });
      totalLeft -= count;
    }
    if (round.length === 0) break;

    const pages = await readPelPages(
      redis,
      round.map(({ i, count }) => ({ cursor: cursors[i]!, count })),
      { perRound: GROUPS_PER_ROUND, onError: emptyWhenMissing },
    );
    const finished = new Set<number>();
    round.forEach(({ i, count }, k) => {
      const page = pages[k]!;
      const tally = out[i]!;
      const t = targets[i]!;
      totalLeft += count - page.length; // unused asks go back to the shared budget
      for (const e of page) {
        if (!tally.mostDelivered || e.deliveries > tally.mostDelivered.deliveries) tally.mostDelivered = e;
        if (e.idleMs < t.minIdleMs) continue;
        tally.count++;
        tally.maxIdleMs = Math.max(tally.maxIdleMs, e.idleMs);
      }
      tally.scanned += page.length;
      // Short page: end of the range. Pending count reached: what came after XINFO is fresh.
      if (cursors[i]!.done || tally.scanned >= t.pending) {
        tally.complete = true;
        finished.add(i);
      } else if (tally.scanned >= perGroup) {
        finished.add(i);
      }
    });
    open = open.filter((i) => !finished.has(i));
  }
  return out;
}
