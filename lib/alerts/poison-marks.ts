import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { PoisonMark, StreamRow, StreamsListResponse } from "@/lib/contract/streams";
import { log, safeErr } from "@/lib/log";
import { firingAlertsOf, type StoredAlert } from "./store";

/**
 * Each stream's poison mark from the firing `poison` alerts (the rule's verdict, with the
 * stream's own threshold): the group whose message was delivered most often. No PEL is read.
 */
export function poisonMarksOf(
  alerts: readonly Pick<StoredAlert, "stream" | "group" | "value">[],
): Map<string, PoisonMark> {
  const marks = new Map<string, PoisonMark>();
  for (const a of alerts) {
    if (a.group === null) continue;
    const prev = marks.get(a.stream);
    if (!prev || a.value > prev.deliveries || (a.value === prev.deliveries && a.group < prev.group))
      marks.set(a.stream, { group: a.group, deliveries: a.value });
  }
  return marks;
}

/** The rows with their poison marks (a row without a firing `poison` alert is left as it is). */
export function markRows(rows: readonly StreamRow[], marks: ReadonlyMap<string, PoisonMark>): StreamRow[] {
  if (marks.size === 0) return [...rows];
  return rows.map((r) => {
    const poison = marks.get(r.key);
    return poison ? { ...r, poison } : r;
  });
}

/**
 * The firing `poison` alerts, read once: one HGETALL of the alert records, beside the page's own
 * reads. None when the connection may not read them (an ACL user limited to the watched keys):
 * the marks are extra, the page is not.
 */
export async function readPoisonMarks(redis: RedisConnection): Promise<Map<string, PoisonMark>> {
  try {
    return poisonMarksOf(await firingAlertsOf(redis, "poison"));
  } catch (err) {
    log.debug({ err: safeErr(err) }, "poison marks left out: the alert records could not be read");
    return new Map();
  }
}

/** A page of the stream list with each row's poison mark. */
export function withPoisonMarks(
  page: StreamsListResponse,
  marks: ReadonlyMap<string, PoisonMark>,
): StreamsListResponse {
  return marks.size === 0 ? page : { ...page, streams: markRows(page.streams, marks) };
}
