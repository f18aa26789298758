import "server-only";
import type Redis from "ioredis";
import type { GroupInfo } from "./xinfo";
import { parsePendingRange } from "./xinfo";
import { nextId } from "./ids";
import type { GroupSnapshot } from "./states";

/** XPENDING COUNT of one call; a page's PEL slice is its entries plus this much slack for orphans. */
const PEL_SLACK = 100;
/** Extra XPENDING calls per group when a range holds more PEL entries than the first call got. */
const MAX_EXTRA_CALLS = 4;

/**
 * Each group's PEL entries within [lower, upper]: one XPENDING range query per group (pipelined),
 * COUNT = expected + slack (≤ 1000). Only when a reply comes back full does it continue, at most
 * MAX_EXTRA_CALLS more times; `truncated` says the bound was hit.
 */
export async function readPelSlices(
  redis: Redis,
  key: string,
  groups: GroupInfo[],
  lower: string,
  upper: string,
  expected: number,
): Promise<{ snapshots: GroupSnapshot[]; truncated: boolean }> {
  const count = Math.min(1000, Math.max(1, expected) + PEL_SLACK);
  const snapshots: GroupSnapshot[] = groups.map((g) => ({ name: g.name, lastDeliveredId: g.lastDeliveredId, pel: [] }));
  let open = snapshots.map((s) => ({ snapshot: s, from: lower }));
  let truncated = false;
  for (let call = 0; open.length > 0; call++) {
    if (call > MAX_EXTRA_CALLS) {
      truncated = true;
      break;
    }
    const pipeline = redis.pipeline();
    for (const o of open) pipeline.call("XPENDING", key, o.snapshot.name, o.from, upper, count);
    const replies = (await pipeline.exec()) ?? [];
    const stillOpen: typeof open = [];
    open.forEach((o, i) => {
      const [err, reply] = replies[i] ?? [null, []];
      if (err) throw err;
      const rows = parsePendingRange(reply);
      o.snapshot.pel.push(...rows);
      const last = rows[rows.length - 1];
      const after = last ? nextId(last.id) : null;
      if (rows.length === count && after) stillOpen.push({ snapshot: o.snapshot, from: after });
    });
    open = stillOpen;
  }
  return { snapshots, truncated };
}
