import type { StoredAlert } from "@/lib/alerts/store";

/** An alert record as the store keeps it: a firing warning of one group, changed by `over`. */
export function alertRecord(id: string, over: Partial<StoredAlert> = {}): StoredAlert {
  return {
    id,
    rule: "poison",
    stream: "s",
    group: "g",
    consumer: null,
    state: "firing",
    severity: "warning",
    message: "",
    firstSeen: 1,
    lastSeen: 1,
    resolvedAt: null,
    link: "/",
    value: 1,
    ...over,
  };
}

/** HSET arguments (id, JSON, id, JSON...) writing `records` into the alert store's hash. */
export function alertRecordFields(records: readonly StoredAlert[]): string[] {
  return records.flatMap((r) => [r.id, JSON.stringify(r)]);
}
