import calculateSlot from "cluster-key-slot";
import { Cluster } from "ioredis";
import { scanAllKeys } from "@/lib/redis/keyspace";
import { StreamIndex } from "@/lib/streams/stream-index";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { GET as overviewRoute } from "@/app/api/overview/route";
import type { OverviewSummary, StreamRow, StreamsListResponse } from "@/lib/contract/streams";
import { compareIds } from "@/lib/contract/ids";
import { keepStuckSnapshot } from "@/lib/streams/summary";
import { dropMasterFromPool, privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";
import { expectNoSlowDashboardCommands, resetSlowLog } from "../../helpers/slowlog";
import { settingsFrom } from "../../helpers/worker";

const { raw, nodes, cluster } = privateCluster();
const prefix = "clist:";
const STREAMS = 300;
const keys = Array.from({ length: STREAMS }, (_, i) => `${prefix}s${i}`);

async function page(cursor: string, count: number): Promise<StreamsListResponse> {
  const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
    query: { match: `${prefix}*`, cursor, count },
  });
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  await Promise.all(
    keys.map(async (key, i) => {
      await raw().xadd(key, "*", "n", String(i));
      if (i % 3 === 0) {
        await raw().xgroup("CREATE", key, "g", "0");
        await raw().xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
      }
    }),
  );
  await resetSlowLog(nodes());
}, 20_000);

describe("the stream list and overview on a 3-master cluster", () => {
  it("the test streams are spread over every master", async () => {
    const perNode = await Promise.all(nodes().map((n) => n.dbsize()));
    expect(perNode.every((n) => n > 50)).toBe(true);
    expect(new Set(keys.map((k) => calculateSlot(k))).size).toBeGreaterThan(200);
  });

  it("paged with a small count, lists every stream exactly once, with its rows read from its own master", async () => {
    const seen: string[] = [];
    let cursor = "0";
    let pages = 0;
    do {
      const body = await page(cursor, 17);
      expect(body.topologyChanged).toBeUndefined();
      for (const row of body.streams) {
        seen.push(row.key);
        expect(row.length).toBe(1);
        const withGroup = Number(row.key.slice(prefix.length + 1)) % 3 === 0;
        expect([row.groupCount, row.pending, row.memoryBytes! > 0]).toEqual(withGroup ? [1, 1, true] : [0, 0, true]);
      }
      cursor = body.cursor;
      pages++;
    } while (cursor !== "0" && pages < 500);
    expect(cursor).toBe("0");
    expect(seen.length).toBe(STREAMS);
    expect(new Set(seen)).toEqual(new Set(keys));
  });

  it("a cursor can be used again: the same page follows it", async () => {
    let cursor = "0";
    // Into the second master's walk.
    for (let pages = 0; !/-1-/.test(cursor) && pages < 100; pages++) cursor = (await page(cursor, 17)).cursor;
    expect(cursor).toMatch(/^[0-9a-f]{8}-1-\d+$/);
    const a = await page(cursor, 17);
    const b = await page(cursor, 17);
    expect(b.streams.map((r) => r.key)).toEqual(a.streams.map((r) => r.key));
    expect(b.cursor).toBe(a.cursor);
  });

  it("a cursor made for another set of masters restarts that master's walk and says so", async () => {
    const body = await page("00000000-1-0", 17);
    expect(body.topologyChanged).toBe(true);
    const fromStart = await page(body.cursor, 17);
    expect(fromStart.topologyChanged).toBeUndefined();
  });

  it("the stream index lists every stream of every master once, in key order, each row with its master", async () => {
    const indexPage = async (offset: number, node?: string) => {
      const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
        query: { match: `${prefix}*`, offset, count: 17, ...(node ? { node } : {}) },
      });
      expect(res.status).toBe(200);
      return res.body;
    };
    const addresses = nodes().map((n) => `127.0.0.1:${n.options.port}`);
    const nodeOfKey = async (key: string) => {
      const slot = calculateSlot(key);
      const counts = await Promise.all(nodes().map((n) => n.call("CLUSTER", "COUNTKEYSINSLOT", slot)));
      return addresses[counts.findIndex((c) => Number(c) > 0)];
    };
    // A page request walks for 40 ms only; on a loaded machine the first pass over three masters can
    // take longer, and pages answer "discovering" meanwhile. Wait for the pass to end, then walk.
    const deadline = Date.now() + 10_000;
    while (!(await indexPage(0)).index!.exact && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const seen: string[] = [];
    let first: StreamsListResponse | undefined;
    for (let offset = 0; offset < 1000; offset += 17) {
      const body = await indexPage(offset);
      first ??= body;
      for (const row of body.streams) {
        seen.push(row.key);
        expect(row.node).toBe(await nodeOfKey(row.key));
      }
      if (offset + 17 >= body.index!.total) break;
    }
    expect(first!.index).toMatchObject({ total: STREAMS, exact: true, discovering: false });
    expect(first!.index!.nodes).toEqual([...addresses].sort());
    expect(seen).toEqual([...keys].sort());

    let perNode = 0;
    let tilesPerNode = 0;
    for (const address of addresses) {
      const body = await indexPage(0, address);
      expect(body.streams.every((r) => r.node === address)).toBe(true);
      perNode += body.index!.total;
      const tiles = await callRoute<OverviewSummary>(overviewRoute as never, "/api/overview", {
        query: { match: `${prefix}*`, node: address },
      });
      expect(tiles.body.streams).toBe(body.index!.total);
      tilesPerNode += tiles.body.streams;
    }
    expect(perNode).toBe(STREAMS);
    expect(tilesPerNode).toBe(STREAMS);
  });

  it("a pass started while the client's pool has lost a master still walks every master", async () => {
    const fresh = new Cluster([{ host: "127.0.0.1", port: cluster().masters[0]!.port }]);
    try {
      await dropMasterFromPool(fresh);
      const index = new StreamIndex(fresh);
      while (index.discovery().passes === 0) await index.step();
      expect(index.select(`${prefix}*`)).toEqual([...keys].sort());
      index.stop();
    } finally {
      fresh.disconnect();
    }
  });

  it("a SCAN walk started while the client's pool has lost a master still walks every master", async () => {
    const fresh = new Cluster([{ host: "127.0.0.1", port: cluster().masters[0]!.port }]);
    try {
      await dropMasterFromPool(fresh);
      const walk = await scanAllKeys(fresh, { match: `${prefix}*`, type: "stream", maxKeys: 10_000 });
      expect(walk.complete).toBe(true);
      expect(walk.keys.sort()).toEqual([...keys].sort());
    } finally {
      fresh.disconnect();
    }
  });

  it("the overview counts the streams of every master", async () => {
    const res = await callRoute<OverviewSummary>(overviewRoute as never, "/api/overview", {
      query: { match: `${prefix}*` },
    });
    expect(res.status).toBe(200);
    expect(res.body.streams).toBe(STREAMS);
    expect(res.body.totalPending).toBe(STREAMS / 3);
    expect(res.body.complete).toBe(true);
    expect(res.body.oldestPendingMs).not.toBeNull();
  });

  it("problems first covers every master: the streams with pending messages lead, each stream once, per node too", async () => {
    await keepStuckSnapshot(raw(), settingsFrom({}), { match: `${prefix}*` });
    const indexPage = async (offset: number, node?: string) => {
      const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
        query: { match: `${prefix}*`, offset, count: 17, order: "problems", ...(node ? { node } : {}) },
      });
      expect(res.status).toBe(200);
      expect(res.body.index!.order).toBe("problems");
      return res.body;
    };
    const walk = async (node?: string) => {
      const seen: StreamRow[] = [];
      for (let offset = 0; offset < 1000; offset += 17) {
        const body = await indexPage(offset, node);
        seen.push(...body.streams);
        if (offset + 17 >= body.index!.total) break;
      }
      return seen;
    };
    const pending = keys.filter((_, i) => i % 3 === 0);
    const rows = await walk();
    expect(rows.map((r) => r.key).sort()).toEqual([...keys].sort());
    expect(new Set(rows.slice(0, pending.length).map((r) => r.key))).toEqual(new Set(pending));
    // Oldest pending first: each one's pending message is its stream's first entry.
    const oldest = rows.slice(0, pending.length).map((r) => r.firstEntryId!);
    expect(oldest).toEqual([...oldest].sort(compareIds));
    expect(rows.slice(pending.length).map((r) => r.key)).toEqual(keys.filter((_, i) => i % 3 !== 0).sort());
    let perNode = 0;
    for (const address of nodes().map((n) => `127.0.0.1:${n.options.port}`)) {
      const mine = await walk(address);
      expect(mine.every((r) => r.node === address)).toBe(true);
      const lead = mine.findIndex((r) => r.pending === 0);
      expect(mine.slice(lead).every((r) => r.pending === 0)).toBe(true);
      perNode += mine.length;
    }
    expect(perNode).toBe(STREAMS);
  });

  it("no node's slow log shows a dashboard command over 10 ms", async () => {
    await expectNoSlowDashboardCommands(nodes());
  });
});
