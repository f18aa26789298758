import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { compareIds } from "@/lib/contract/ids";
import { READ_BYTES } from "./answer-limits";
import { idsAfter, rangePages } from "./range-pages";
import { replyBytes } from "./codec";
import { readStreams } from "./snapshot";
import type { GroupInfo, StreamInfo } from "./xinfo";

/** Entries counted one by one when Redis cannot tell a group's lag (bounded). */
const MAX_WAITING_COUNT = 1000;
/** Bytes of entries read to count them: past these the count says "at least". */
const MAX_WAITING_BYTES = 4 * READ_BYTES;

export interface UnprocessedCount {
  groups: number;
  /** Pending (in some PEL) summed over groups. */
  pending: number;
  /** Largest number of entries still waiting for one group (at least; capped when counted). */
  waiting: number;
  /** Messages that would be lost if the stream vanished now: max over groups of pending + waiting. */
  atRisk: number;
}

/** How many messages of a stream some group has not finished (pending or still waiting). */
export async function countUnprocessed(redis: RedisConnection, key: string): Promise<UnprocessedCount> {
  const [read] = await readStreams(redis, [key], { info: true, groups: true });
  if (!read || read.state !== "stream") return { groups: 0, pending: 0, waiting: 0, atRisk: 0 };
  return unprocessedOf(redis, key, read.info!, read.groups!);
}

/** The same count from a stream's XINFO STREAM and XINFO GROUPS already read (through the snapshot). */
export async function unprocessedOf(
  redis: RedisConnection,
  key: string,
  info: StreamInfo,
  groups: readonly GroupInfo[],
): Promise<UnprocessedCount> {
  let pending = 0;
  let waiting = 0;
  let atRisk = 0;
  for (const g of groups) {
    const w = await waitingFor(redis, key, g, info.lastEntryId);
    pending += g.pending;
    waiting = Math.max(waiting, w);
    atRisk = Math.max(atRisk, g.pending + w);
  }
  return { groups: groups.length, pending, waiting, atRisk };
}

async function waitingFor(
  redis: RedisConnection,
  key: string,
  g: GroupInfo,
  lastEntryId: string | null,
): Promise<number> {
  if (g.lag !== null) return g.lag;
  if (!lastEntryId || compareIds(lastEntryId, g.lastDeliveredId) <= 0) return 0;
  // Counting reads whole entries (Redis has no count of a range): in replies of about READ_BYTES.
  let counted = 0;
  let bytes = 0;
  const cap = () => (bytes < MAX_WAITING_BYTES ? MAX_WAITING_COUNT - counted : 0);
  for await (const { reply } of rangePages(redis, key, idsAfter(g.lastDeliveredId), "asc", cap)) {
    bytes += replyBytes(reply);
    counted += reply.length;
  }
  return counted;
}
