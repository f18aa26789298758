/**
 * The single-stream read pages on a 3-master cluster, through the route handlers, for a stream on
 * each master: entries (pages and one entry), search, the PEL states of a page, the live tail
 * (SSE), the group page, the pending page and the idle histogram. No command over 10 ms on any node.
 */
import calculateSlot from "cluster-key-slot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as entriesRoute } from "@/app/api/streams/[key]/entries/route";
import { GET as entryRoute } from "@/app/api/streams/[key]/entries/[id]/route";
import { GET as searchRoute } from "@/app/api/streams/[key]/search/route";
import { GET as tailRoute } from "@/app/api/streams/[key]/tail/route";
import { GET as groupRoute } from "@/app/api/streams/[key]/groups/[group]/route";
import { GET as pendingRoute } from "@/app/api/streams/[key]/groups/[group]/pending/route";
import { GET as histogramRoute } from "@/app/api/streams/[key]/groups/[group]/idle-histogram/route";
import type { EntriesResponse, SearchResponse, StreamEntry } from "@/lib/contract/entries";
import type { GroupDetailResponse, IdleHistogramResponse, PendingPageResponse } from "@/lib/contract/pending";
import type { TailEntriesEvent } from "@/lib/contract/tail";
import { DEFAULT_TAIL_LIMITS, setTailLimits, tailStats } from "@/lib/streams/tail";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";
import { expectNoSlowDashboardCommands, resetSlowLog } from "../../helpers/slowlog";
import { readEvents } from "../../helpers/sse";

const { raw, nodes, cluster } = privateCluster();
const ENTRIES = 30;
const PENDING = 20;
const ACKED = 5;

/** One stream key per master, in master address order. */
let streams: { key: string; port: number }[] = [];

function masterPortOf(key: string): number {
  const address = raw().slots[calculateSlot(key)]?.[0];
  return Number(address?.split(":")[1]);
}

const enc = (k: string) => encodeURIComponent(k);

/** A live tail of `key`, to be aborted. */
async function openTail(key: string): Promise<{ abort: AbortController; res: Response }> {
  const abort = new AbortController();
  const url = new URL(`/api/streams/${enc(key)}/tail`, "http://127.0.0.1:3000");
  const req = new Request(url, { headers: { host: "127.0.0.1:3000" }, signal: abort.signal });
  const res = await (
    tailRoute as unknown as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>
  )(req, { params: Promise.resolve({ key }) });
  return { abort, res };
}

beforeAll(async () => {
  const ports = cluster()
    .masters.map((m) => m.port)
    .sort((a, b) => String(`127.0.0.1:${a}`).localeCompare(`127.0.0.1:${b}`));
  const byPort = new Map<number, string>();
  for (let i = 0; byPort.size < ports.length && i < 1000; i++) {
    const key = `pages:orders-${i}`;
    const port = masterPortOf(key);
    if (!byPort.has(port)) byPort.set(port, key);
  }
  streams = ports.map((port) => ({ key: byPort.get(port)!, port }));
  for (const { key } of streams) {
    for (let i = 1; i <= ENTRIES; i++) await raw().xadd(key, `${i}-0`, "n", String(i), "body", `order ${i} paid`);
    await raw().xgroup("CREATE", key, "g", "0");
    await raw().xreadgroup("GROUP", "g", "worker", "COUNT", PENDING, "STREAMS", key, ">");
    await raw().xack(key, "g", ...Array.from({ length: ACKED }, (_, i) => `${i + 1}-0`));
  }
  await resetSlowLog(nodes());
  setTailLimits({ blockMs: 300, minIntervalMs: 50 });
}, 30_000);

afterAll(() => {
  setTailLimits(DEFAULT_TAIL_LIMITS);
});

describe("single-stream pages on a 3-master cluster", () => {
  it("the test streams sit one on each master", () => {
    expect(new Set(streams.map((s) => s.port)).size).toBe(3);
  });

  it("entries: pages follow each other, with each entry's state in the group, on every master", async () => {
    for (const { key } of streams) {
      const ids: string[] = [];
      let start: string | undefined;
      let first: StreamEntry[] | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const res = await callRoute<EntriesResponse>(entriesRoute as never, `/api/streams/${enc(key)}/entries`, {
          params: { key },
          query: { count: 12, ...(start ? { start } : {}) },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        first ??= res.body.entries;
        ids.push(...res.body.entries.map((e) => e.id));
        if (!res.body.next) break;
        start = res.body.next;
      }
      expect(ids).toEqual(Array.from({ length: ENTRIES }, (_, i) => `${i + 1}-0`));
      expect(first![0]!.states.g).toEqual({ state: "acked" });
      expect(first![ACKED]!.states.g).toMatchObject({ state: "pending", consumer: "worker", deliveries: 1 });
      const last = await callRoute<EntriesResponse>(entriesRoute as never, `/api/streams/${enc(key)}/entries`, {
        params: { key },
        query: { order: "desc", count: 1 },
      });
      expect(last.body.entries[0]!.states.g).toEqual({ state: "delivered" });
    }
  });

  it("one entry, whole, on every master", async () => {
    for (const { key } of streams) {
      const res = await callRoute<StreamEntry>(entryRoute as never, `/api/streams/${enc(key)}/entries/7-0`, {
        params: { key, id: "7-0" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.fields).toEqual([
        ["n", "7"],
        ["body", "order 7 paid"],
      ]);
      expect(res.body.states.g).toMatchObject({ state: "pending", consumer: "worker" });
    }
  });

  it("search finds the matching entries on every master", async () => {
    for (const { key } of streams) {
      const res = await callRoute<SearchResponse>(searchRoute as never, `/api/streams/${enc(key)}/search`, {
        params: { key },
        query: { q: "ORDER 2", field: "body" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.entries.map((e) => e.id)).toEqual([
        "2-0",
        ...Array.from({ length: 10 }, (_, i) => `${20 + i}-0`),
      ]);
      expect(res.body.scanned).toBe(ENTRIES);
    }
  });

  it("the group page, on every master", async () => {
    for (const { key } of streams) {
      const res = await callRoute<GroupDetailResponse>(groupRoute as never, `/api/streams/${enc(key)}/groups/g`, {
        params: { key, group: "g" },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.pending).toBe(PENDING - ACKED);
      expect(res.body.consumers.map((c) => [c.name, c.pending])).toEqual([["worker", PENDING - ACKED]]);
    }
  });

  it("the pending page with fields, paged, on every master", async () => {
    for (const { key } of streams) {
      const path = `/api/streams/${enc(key)}/groups/g/pending`;
      const first = await callRoute<PendingPageResponse>(pendingRoute as never, path, {
        params: { key, group: "g" },
        query: { count: 10, withFields: 1 },
      });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.summary.count).toBe(PENDING - ACKED);
      expect(first.body.entries.map((e) => e.id)[0]).toBe(`${ACKED + 1}-0`);
      expect(first.body.entries[0]!.fields).toEqual([
        ["n", String(ACKED + 1)],
        ["body", `order ${ACKED + 1} paid`],
      ]);
      const second = await callRoute<PendingPageResponse>(pendingRoute as never, path, {
        params: { key, group: "g" },
        query: { count: 10, start: first.body.next! },
      });
      expect(second.status).toBe(200);
      expect(second.body.entries.length).toBe(PENDING - ACKED - 10);
      expect(second.body.next).toBeNull();
    }
  });

  it("the idle histogram, on every master", async () => {
    for (const { key } of streams) {
      const res = await callRoute<IdleHistogramResponse>(
        histogramRoute as never,
        `/api/streams/${enc(key)}/groups/g/idle-histogram`,
        { params: { key, group: "g" } },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.exact).toBe(true);
      expect(res.body.buckets.reduce((n, b) => n + b.count, 0)).toBe(PENDING - ACKED);
    }
  });

  it("the live tail follows new entries of a stream on every master, each on a connection to its node", async () => {
    for (const { key, port } of streams) {
      const { abort, res } = await openTail(key);
      expect(res.status, await (res.status === 200 ? "" : res.clone().text())).toBe(200);
      const added = String(await raw().xadd(key, "*", "n", "live"));
      const { events, reader } = await readEvents(res, (ev) =>
        ev.some((e) => e.event === "entries" || e.event === "tail-error"),
      );
      expect(events[0]!.event).toBe("ready");
      const batch = events.find((e) => e.event === "entries")?.data as TailEntriesEvent | undefined;
      expect(
        batch?.entries.map((e) => e.id),
        JSON.stringify(events),
      ).toEqual([added]);
      expect(batch!.entries[0]!.states.g).toEqual({ state: "delivered" });
      const node = nodes()[cluster().masters.findIndex((m) => m.port === port)]!;
      expect(String(await node.client("LIST"))).toContain("name=streamscope-tail");
      await reader.cancel();
      abort.abort();
    }
    await expect.poll(() => tailStats().streams).toBe(0);
  });

  it("a live tail outrun by its producer jumps to the newest entries, on every master", async () => {
    setTailLimits({ blockMs: 300, minIntervalMs: 300, maxPerEvent: 3 });
    try {
      for (const { key } of streams) {
        const { abort, res } = await openTail(key);
        expect(res.status).toBe(200);
        const pipe = raw().pipeline();
        for (let i = 0; i < 10; i++) pipe.xadd(key, "*", "n", `burst-${i}`);
        await pipe.exec();
        const { events, reader } = await readEvents(res, (ev) =>
          ev.some((e) => e.event === "entries" || e.event === "tail-error"),
        );
        const batch = events.find((e) => e.event === "entries")?.data as TailEntriesEvent | undefined;
        expect(batch, JSON.stringify(events)).toBeDefined();
        expect(batch!.entries.at(-1)!.fields).toEqual([["n", "burst-9"]]);
        expect(batch!.skipped).toBeGreaterThan(0);
        await reader.cancel();
        abort.abort();
      }
    } finally {
      setTailLimits({ blockMs: 300, minIntervalMs: 50, maxPerEvent: DEFAULT_TAIL_LIMITS.maxPerEvent });
    }
    await expect.poll(() => tailStats().streams).toBe(0);
  });

  it("no node's slow log shows a dashboard command over 10 ms", async () => {
    await expectNoSlowDashboardCommands(nodes());
  });
});
