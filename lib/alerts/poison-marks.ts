import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { PoisonMark, StreamRow } from "@/lib/contract/streams";
import { log, safeErr } from "@/lib/log";
import { alertId } from "./rules";
import { alertRecordCount, readAlertsById, readRecords, type StoredAlert } from "./store";

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
 * The poison marks of these groups' streams, from the firing `poison` alerts, bounded by the groups
 * asked for rather than by every alert kept: no read when no alert is kept (HLEN), all records
 * (readRecords) when there are no more of them than groups, else the groups' own records by id
 * (readAlertsById). None when the connection may not read them (an ACL user limited to the watched
 * keys): the marks are extra, the page is not.
 */
export async function readPoisonMarks(
  redis: RedisConnection,
  groups: readonly { stream: string; group: string }[],
  keptCount?: Promise<number>,
): Promise<Map<string, PoisonMark>> {
  try {
    const kept = groups.length === 0 ? 0 : await (keptCount ?? alertRecordCount(redis));
    if (kept === 0) return new Map();
    const alerts =
      kept <= groups.length
        ? [...(await readRecords(redis)).values()]
        : await readAlertsById(
            redis,
            groups.map((g) => alertId("poison", g.stream, g.group, null)),
          );
    return poisonMarksOf(alerts.filter((a) => a.rule === "poison" && a.state === "firing"));
  } catch (err) {
    log.debug({ err: safeErr(err) }, "poison marks left out: the alert records could not be read");
    return new Map();
  }
}

/**
 * readPoisonMarks with its HLEN sent at once: the count does not depend on the page, so its round
 * trip overlaps the rows' reads instead of following them. A failed count reads as no marks.
 */
export function poisonMarksReader(
  redis: RedisConnection,
): (groups: readonly { stream: string; group: string }[]) => Promise<Map<string, PoisonMark>> {
  const kept = alertRecordCount(redis).catch((err: unknown) => {
    log.debug({ err: safeErr(err) }, "poison marks left out: the alert records could not be counted");
    return 0;
  });
  return (groups) => readPoisonMarks(redis, groups, kept);
}
