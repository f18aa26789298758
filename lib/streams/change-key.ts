import { createHash } from "node:crypto";
import type { GroupInfo, StreamInfo } from "./xinfo";

/** Keys longer than this are kept as a digest: memos hold one per stream, whatever its number of groups. */
const DIGEST_FROM = 256;

type ChangeFields = Pick<StreamInfo, "length" | "lastGeneratedId" | "entriesAdded"> & { lastEntryId?: string | null };
type GroupChangeFields = Pick<
  GroupInfo,
  "name" | "lastDeliveredId" | "pending" | "entriesRead" | "lag" | "consumerCount"
>;

/**
 * What decides whether a stream changed between two reads: its length, last ids, entries added,
 * and each group's last-delivered id, pending count, entries read, lag and consumer count, plus
 * what the caller adds (`extra`). Equal keys: the stream, its groups and their pending lists hold
 * the same number of things as at the other read. The worker's memos (lib/worker/tick-streams.ts)
 * and the reuse of MEMORY USAGE (./stream-info.ts) compare these.
 */
export function streamChangeKey(info: ChangeFields, groups: readonly GroupChangeFields[], extra = ""): string {
  let key = `${info.length} ${info.lastGeneratedId} ${info.lastEntryId ?? "-"} ${info.entriesAdded ?? "-"} ${extra}`;
  for (const g of groups) {
    key += `\n${JSON.stringify(g.name)} ${g.lastDeliveredId} ${g.pending} ${g.entriesRead ?? "-"} ${g.lag ?? "-"} ${g.consumerCount}`;
  }
  return key.length > DIGEST_FROM ? createHash("sha1").update(key).digest("base64") : key;
}
