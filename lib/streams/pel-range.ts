import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { MAX_PENDING_PAGE } from "@/lib/contract/pending";
import { pelCursor, readPelPages } from "@/lib/pending/pel";
import type { GroupInfo } from "./xinfo";
import type { GroupSnapshot } from "@/lib/shared/states";

/** XPENDING COUNT of one call; a page's PEL slice is its entries plus this much slack for orphans. */
const PEL_SLACK = 100;
/** Extra XPENDING calls per group when a range holds more PEL entries than the first call got. */
const MAX_EXTRA_CALLS = 4;

/**
 * Each group's PEL entries within [lower, upper]: one PEL page per group (pipelined),
 * COUNT = expected + slack (≤ 1000). Only when a reply comes back full does it continue, at most
 * MAX_EXTRA_CALLS more times; `truncated` says the bound was hit.
 */
export async function readPelSlices(
  redis: RedisConnection,
  key: string,
  groups: GroupInfo[],
  lower: string,
  upper: string,
  expected: number,
): Promise<{ snapshots: GroupSnapshot[]; truncated: boolean }> {
  const count = Math.min(MAX_PENDING_PAGE, Math.max(1, expected) + PEL_SLACK);
  const snapshots: GroupSnapshot[] = groups.map((g) => ({ name: g.name, lastDeliveredId: g.lastDeliveredId, pel: [] }));
  let open = snapshots.map((s) => ({ snapshot: s, cursor: pelCursor(key, s.name, { start: lower, end: upper }) }));
  let truncated = false;
  for (let call = 0; open.length > 0; call++) {
    if (call > MAX_EXTRA_CALLS) {
      truncated = true;
      break;
    }
    const pages = await readPelPages(
      redis,
      open.map((o) => ({ cursor: o.cursor, count })),
    );
    open.forEach((o, i) => o.snapshot.pel.push(...pages[i]!));
    open = open.filter((o) => !o.cursor.done);
  }
  return { snapshots, truncated };
}
