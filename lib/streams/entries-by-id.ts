import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { execWithOneTimer } from "@/lib/redis/pipeline-exec";
import { compareIds } from "@/lib/contract/ids";
import { ACTION_BATCH } from "@/lib/contract/pending";
import { BatchSizer } from "./answer-limits";

/**
 * The entries of these ids, each as `XRANGE id id` answers it (Buffer replies, an empty list for an
 * id no longer in the stream), one command per id: each command copies at most one entry, however
 * large. With `ranges.worth` (for a caller that bounds the batch's bytes, as the pending page sizes
 * its batches to the answer's budget), ascending ids are first asked in one
 * `XRANGE first last COUNT n`: pending ids are often consecutive entries, and the range reads no
 * more entries than the per-id reads would. The ids it leaves open (the range held other entries
 * first) are read one by one, and once a range settles fewer than half of its ids, `ranges.worth`
 * turns false for the caller's later batches.
 */
export async function readEntriesById(
  redis: RedisConnection,
  stream: string,
  ids: readonly string[],
  ranges: { worth: boolean } = { worth: false },
): Promise<unknown[]> {
  const out: (unknown[] | undefined)[] = ids.map(() => undefined);
  const ascending = ids.every((id, i) => i === 0 || compareIds(ids[i - 1]!, id) < 0);
  if (ranges.worth && ascending && ids.length > 1) {
    const range = (await redis.xrangeBuffer(stream, ids[0]!, ids[ids.length - 1]!, "COUNT", ids.length)) as [
      Buffer,
      Buffer[],
    ][];
    const byId = new Map(range.map((entry) => [entry[0].toString(), entry]));
    // A full reply may have stopped before the last id: the ids after its last entry stay open.
    const settledTo = range.length < ids.length ? null : range[range.length - 1]![0].toString();
    let settled = 0;
    ids.forEach((id, i) => {
      if (settledTo !== null && compareIds(id, settledTo) > 0) return;
      const entry = byId.get(id);
      out[i] = entry ? [entry] : [];
      settled++;
    });
    if (settled * 2 < ids.length) ranges.worth = false;
  }
  const open = ids.flatMap((id, i) => (out[i] === undefined ? [i] : []));
  if (open.length > 0) {
    const pipe = redis.pipeline();
    for (const i of open) pipe.xrangeBuffer(stream, ids[i]!, ids[i]!, "COUNT", 1);
    const replies = await execWithOneTimer(redis, pipe);
    open.forEach((at, k) => {
      const [err, reply] = replies[k] ?? [null, []];
      if (err) throw err;
      out[at] = reply as unknown[];
    });
  }
  return out as unknown[][];
}

/**
 * readEntriesById in rounds of about READ_BYTES of entries (one entry first, then as many as the
 * sizes seen allow, at most ACTION_BATCH), for callers that read many ids and need each round only
 * for a moment: each round's ids with their replies, in order.
 */
export async function* entriesByIdRounds(
  redis: RedisConnection,
  stream: string,
  ids: readonly string[],
): AsyncGenerator<{ ids: string[]; replies: unknown[] }> {
  const sizer = new BatchSizer();
  for (let at = 0; at < ids.length;) {
    const round = ids.slice(at, at + sizer.next(Math.min(ACTION_BATCH, ids.length - at)));
    at += round.length;
    const replies = await readEntriesById(redis, stream, round);
    sizer.seen(replies, round.length);
    yield { ids: round, replies };
  }
}
