import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { affectedKeys, type Change } from "@/lib/client/affected-keys";
import { queryKeys } from "@/lib/client/query-keys";

const k = queryKeys.streams;

/**
 * Fills a cache with the queries the app holds (the keys the hooks build, through the factory),
 * invalidates a change, returns what went stale.
 */
async function staleAfter(change: Change): Promise<string[]> {
  const client = new QueryClient();
  const keys: (readonly unknown[])[] = [
    k.list({ match: "*", cap: 10_000 }),
    k.summary({ match: "*" }),
    k.summary({ match: "orders:*" }),
    k.detail("s"),
    k.groups("s"),
    k.entries("s", { start: "-" }),
    k.group("s", "g"),
    k.pending("s", "g", { count: 100 }),
    k.idleHistogram("s", "g"),
    k.group("s", "other"),
    k.pending("s", "other", {}),
    k.detail("s:dlq"),
    k.entries("s:dlq", {}),
    k.detail("unrelated"),
    k.group("unrelated", "g"),
    k.detail("origin"),
    queryKeys.worker.status,
    queryKeys.health,
    queryKeys.alerts.firing,
    queryKeys.alerts.list,
  ];
  for (const key of keys) client.setQueryData(key, 1);
  await Promise.all(affectedKeys(change).map(({ queryKey, exact }) => client.invalidateQueries({ queryKey, exact })));
  return client
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => JSON.stringify(q.queryKey))
    .sort();
}

const j = (key: readonly unknown[]) => JSON.stringify(key);

describe("affectedKeys", () => {
  it("ack touches the group's views, the stream's numbers and entries, not other groups or streams", async () => {
    const stale = await staleAfter({ kind: "ack", stream: "s", group: "g" });
    expect(stale).toEqual(
      [
        k.list({ match: "*", cap: 10_000 }),
        k.summary({ match: "*" }),
        k.summary({ match: "orders:*" }),
        k.detail("s"),
        k.groups("s"),
        k.entries("s", { start: "-" }),
        k.group("s", "g"),
        k.pending("s", "g", { count: 100 }),
        k.idleHistogram("s", "g"),
        queryKeys.alerts.firing,
        queryKeys.alerts.list,
      ]
        .map(j)
        .sort(),
    );
  });

  it("requeue and delete touch every group of the stream, not other streams", async () => {
    for (const kind of ["requeue", "delete"] as const) {
      const stale = await staleAfter({ kind, stream: "s", group: "g" });
      expect(stale).toContain(j(k.pending("s", "other", {})));
      expect(stale).not.toContain(j(k.detail("unrelated")));
      expect(stale).not.toContain(j(k.detail("s:dlq")));
      expect(stale).not.toContain(j(queryKeys.health));
      expect(stale).toContain(j(queryKeys.alerts.firing));
    }
  });

  it("every message action makes the alerts stale (the server re-evaluated them); admin changes do not", async () => {
    for (const kind of ["ack", "claim", "requeue", "dead-letter", "delete"] as const) {
      expect(await staleAfter({ kind, stream: "s", group: "g" })).toContain(j(queryKeys.alerts.firing));
    }
    expect(await staleAfter({ kind: "setid", stream: "s", group: "g" })).not.toContain(j(queryKeys.alerts.firing));
  });

  it("dead-letter also touches the target stream", async () => {
    const stale = await staleAfter({ kind: "dead-letter", stream: "s", group: "g", target: "s:dlq" });
    expect(stale).toContain(j(k.detail("s:dlq")));
    expect(stale).toContain(j(k.entries("s:dlq", {})));
    expect(stale).not.toContain(j(k.group("s", "other")));
  });

  it("every change to a stream makes the overview tiles stale, whatever their match", async () => {
    const changes: Change[] = [
      { kind: "ack", stream: "s", group: "g" },
      { kind: "claim", stream: "s", group: "g" },
      { kind: "requeue", stream: "s", group: "g" },
      { kind: "dead-letter", stream: "s", group: "g" },
      { kind: "delete", stream: "s", group: "g" },
      { kind: "setid", stream: "s", group: "g" },
      { kind: "delete-consumer", stream: "s", group: "g" },
      { kind: "create-group", stream: "s" },
      { kind: "delete-group", stream: "s" },
      { kind: "publish", stream: "s" },
      { kind: "redrive", stream: "s:dlq", origins: ["origin"] },
      { kind: "worker-tick" },
    ];
    for (const change of changes) {
      const stale = await staleAfter(change);
      expect(stale, change.kind).toContain(j(k.summary({ match: "*" })));
      expect(stale, change.kind).toContain(j(k.summary({ match: "orders:*" })));
      expect(stale, change.kind).toContain(j(k.list({ match: "*", cap: 10_000 })));
    }
  });

  it("redrive touches the dead-letter stream and the origin streams, not the others", async () => {
    const stale = await staleAfter({ kind: "redrive", stream: "s:dlq", origins: ["origin"] });
    expect(stale).toContain(j(k.detail("s:dlq")));
    expect(stale).toContain(j(k.entries("s:dlq", {})));
    expect(stale).toContain(j(k.detail("origin")));
    expect(stale).not.toContain(j(k.detail("unrelated")));
    expect(stale).not.toContain(j(queryKeys.worker.status));
  });

  it("a worker tick run by hand touches the worker, every stream view and the alerts", async () => {
    const stale = await staleAfter({ kind: "worker-tick" });
    expect(stale).toContain(j(queryKeys.worker.status));
    expect(stale).toContain(j(k.detail("unrelated")));
    expect(stale).toContain(j(queryKeys.alerts.firing));
    expect(stale).not.toContain(j(queryKeys.health));
  });
});
