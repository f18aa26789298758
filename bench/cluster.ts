/**
 * Cluster overview benchmark: 10,000 streams with 2 groups each over a private 3-master Redis
 * Cluster. Times the full overview through the API (every SCAN page of GET /api/streams, then
 * GET /api/overview), with the app seeded by one master's address, against a minimal ioredis
 * script issuing the same per-node SCAN and pipelined XINFO commands to each master, median of 5
 * runs of each, taken alternately. Also times GET /api/cluster (the cluster page's read).
 * Run: `npx tsx bench/cluster.ts` (builds the app first when `.next` is missing).
 */
import calculateSlot from "cluster-key-slot";
import Redis from "ioredis";
import { startRedisCluster } from "../scripts/lib/redis-cluster";
import { ensureBuilt, fmtMs, interleavedMedians, isMain, medianOf, startApp } from "./lib";
import { indexPage, viaIndex } from "./overview";

const STREAMS = 10_000;
const MASTERS = 3;
const PAGE_COUNT = 1000;
const RUNS = 5;
const STUCK_MS = 30_000;

export interface ClusterBenchResult {
  streams: number;
  masters: number;
  apiMedianMs: number;
  scriptMedianMs: number;
  ratio: number;
  /** The overview as the UI reads it: pages of the stream index (its first pass done), then the tiles. */
  indexMedianMs: number;
  indexRatio: number;
  clusterPageMedianMs: number;
}

/** Each master's client and the slot ranges it serves. */
async function masterOfSlot(nodes: Redis[]): Promise<(key: string) => Redis> {
  const slots = (await nodes[0]!.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
  const byPort = new Map(nodes.map((n) => [n.options.port, n]));
  const owner: Redis[] = new Array<Redis>(16384);
  for (const [from, to, [, port]] of slots) for (let s = from; s <= to; s++) owner[s] = byPort.get(port)!;
  return (key) => owner[calculateSlot(key)]!;
}

async function seed(nodes: Redis[], count: number): Promise<void> {
  const nodeOf = await masterOfSlot(nodes);
  const base = Date.now() - 3_600_000;
  for (let start = 0; start < count; start += 500) {
    const pipes = new Map<Redis, ReturnType<Redis["pipeline"]>>();
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const key = i % 5 === 0 ? `bench:orders_20261125${String(i % 24).padStart(2, "0")}:${i}` : `bench:stream:${i}`;
      const node = nodeOf(key);
      let pipe = pipes.get(node);
      if (!pipe) pipes.set(node, (pipe = node.pipeline()));
      for (let e = 0; e < 3; e++) pipe.xadd(key, `${base + i * 10 + e}-0`, "n", String(e), "payload", "x".repeat(40));
      pipe.xgroup("CREATE", key, "g1", "0");
      pipe.xgroup("CREATE", key, "g2", "0");
      if (i % 3 === 0) pipe.xreadgroup("GROUP", "g1", "c1", "COUNT", 2, "STREAMS", key, ">");
      if (i % 7 === 0) pipe.xreadgroup("GROUP", "g2", "c1", "COUNT", 1, "STREAMS", key, ">");
    }
    await Promise.all([...pipes.values()].map((p) => p.exec()));
  }
}

async function viaApi(url: string): Promise<number> {
  const rows = await apiList(url);
  await apiSummary(url);
  return rows;
}

async function apiList(url: string): Promise<number> {
  let cursor = "0";
  let rows = 0;
  do {
    const res = await fetch(`${url}/api/streams?cursor=${cursor}&count=${PAGE_COUNT}`);
    if (!res.ok) throw new Error(`GET /api/streams answered ${res.status}`);
    const body = (await res.json()) as { streams: unknown[]; cursor: string };
    rows += body.streams.length;
    cursor = body.cursor;
  } while (cursor !== "0");
  return rows;
}

async function apiSummary(url: string): Promise<void> {
  const summary = await fetch(`${url}/api/overview`);
  if (!summary.ok) throw new Error(`GET /api/overview answered ${summary.status}`);
  await summary.json();
}

type Groups = { key: string; name: string; pending: number }[];

function groupsOf(key: string, reply: unknown): Groups {
  const out: Groups = [];
  for (const g of (reply as unknown[][]) ?? []) {
    const rec: Record<string, unknown> = {};
    for (let i = 0; i + 1 < g.length; i += 2) rec[String(g[i])] = g[i + 1];
    out.push({ key, name: String(rec.name), pending: Number(rec.pending) });
  }
  return out;
}

async function scanPage(node: Redis, cursor: string): Promise<[string, string[]]> {
  return (await node.call("SCAN", cursor, "MATCH", "*", "COUNT", PAGE_COUNT, "TYPE", "stream")) as [string, string[]];
}

/** The same commands the API issues, straight to each master, with nothing else around them. */
async function viaScript(nodes: Redis[]): Promise<number> {
  const rows = await scriptList(nodes);
  await scriptSummary(nodes);
  return rows;
}

async function scriptList(nodes: Redis[]): Promise<number> {
  let rows = 0;
  // The stream list: each master's SCAN pages in turn, each page's rows in one pipeline.
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await scanPage(node, cursor);
      cursor = next;
      const pipe = node.pipeline();
      for (const key of keys) {
        pipe.call("XINFO", "STREAM", key);
        pipe.call("XINFO", "GROUPS", key);
        pipe.pttl(key);
        pipe.call("MEMORY", "USAGE", key);
      }
      const res = (await pipe.exec()) ?? [];
      const pending: Groups = [];
      keys.forEach((key, i) => pending.push(...groupsOf(key, res[i * 4 + 1]?.[1]).filter((g) => g.pending > 0)));
      if (pending.length) {
        const p2 = node.pipeline();
        for (const g of pending) p2.call("XPENDING", g.key, g.name, "-", "+", "1");
        await p2.exec();
      }
      rows += keys.length;
    } while (cursor !== "0");
  }
  return rows;
}

/** The summary tiles, every master side by side. */
async function scriptSummary(nodes: Redis[]): Promise<void> {
  const [sec, micro] = await nodes[0]!.time();
  const now = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  await Promise.all(
    nodes.map(async (node) => {
      const keys: string[] = [];
      let cursor = "0";
      do {
        const [next, page] = await scanPage(node, cursor);
        keys.push(...page);
        cursor = next;
      } while (cursor !== "0");
      const pipe = node.pipeline();
      for (const key of keys) pipe.call("XINFO", "GROUPS", key);
      const res = (await pipe.exec()) ?? [];
      const pending: Groups = [];
      keys.forEach((key, i) => pending.push(...groupsOf(key, res[i]?.[1]).filter((g) => g.pending > 0)));
      const p2 = node.pipeline();
      for (const g of pending) {
        p2.call("XPENDING", g.key, g.name, "-", "+", "1");
        p2.call("XPENDING", g.key, g.name, "-", `${now - STUCK_MS}-18446744073709551615`, Math.min(g.pending, 1000));
      }
      await p2.exec();
    }),
  );
}

export async function runClusterBench(opts: { streams?: number; runs?: number } = {}): Promise<ClusterBenchResult> {
  const streams = opts.streams ?? STREAMS;
  const runs = opts.runs ?? RUNS;
  ensureBuilt();
  const cluster = await startRedisCluster({ masters: MASTERS });
  const nodes = cluster.masters.map((m) => new Redis(m.port, "127.0.0.1"));
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    console.log(`cluster bench: seeding ${streams} streams with 2 groups each over ${MASTERS} masters...`);
    await seed(nodes, streams);
    const perNode = await Promise.all(nodes.map((n) => n.dbsize()));
    app = await startApp(cluster.url);
    const url = app.url;
    const seen = await viaApi(url);
    if (seen !== streams) throw new Error(`the API listed ${seen} streams, expected ${streams}`);
    const { a: api, b: script } = await interleavedMedians(
      runs,
      () => viaApi(url),
      () => viaScript(nodes),
    );
    const parts = {
      apiList: await medianOf(runs, () => apiList(url)),
      scriptList: await medianOf(runs, () => scriptList(nodes)),
      apiSummary: await medianOf(runs, () => apiSummary(url)),
      scriptSummary: await medianOf(runs, () => scriptSummary(nodes)),
    };
    for (let tries = 0; !(await indexPage(url, 0, PAGE_COUNT)).index.exact; tries++) {
      if (tries > 600) throw new Error("the stream index did not finish its first pass in 60 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const { a: indexed, b: script2 } = await interleavedMedians(
      runs,
      () => viaIndex(url, PAGE_COUNT),
      () => viaScript(nodes),
    );
    const page = await medianOf(runs, async () => {
      const res = await fetch(`${url}/api/cluster`);
      if (!res.ok) throw new Error(`GET /api/cluster answered ${res.status}`);
      await res.json();
    });
    const result: ClusterBenchResult = {
      streams,
      masters: MASTERS,
      apiMedianMs: api.medianMs,
      scriptMedianMs: script.medianMs,
      ratio: api.medianMs / script.medianMs,
      indexMedianMs: indexed.medianMs,
      indexRatio: indexed.medianMs / script2.medianMs,
      clusterPageMedianMs: page.medianMs,
    };
    console.log(
      `cluster overview (${streams} streams over ${MASTERS} masters: ${perNode.join(" / ")}, median of ${runs}): API ${fmtMs(result.apiMedianMs)}, minimal per-node ioredis script ${fmtMs(result.scriptMedianMs)}, ratio ${result.ratio.toFixed(2)}x (target <= 1.5x)`,
    );
    console.log(`  API runs: ${api.runsMs.map(fmtMs).join(", ")}; script runs: ${script.runsMs.map(fmtMs).join(", ")}`);
    console.log(
      `  apart: the stream list pages API ${fmtMs(parts.apiList.medianMs)} vs script ${fmtMs(parts.scriptList.medianMs)}; the overview tiles API ${fmtMs(parts.apiSummary.medianMs)} vs script ${fmtMs(parts.scriptSummary.medianMs)}`,
    );
    console.log(
      `  through the stream index (what the overview page reads; pages of ${PAGE_COUNT}): API ${fmtMs(indexed.medianMs)} vs script ${fmtMs(script2.medianMs)}, ratio ${result.indexRatio.toFixed(2)}x`,
    );
    console.log(`  GET /api/cluster (the cluster page): median ${fmtMs(page.medianMs)}`);
    return result;
  } finally {
    await app?.stop();
    for (const n of nodes) n.disconnect();
    await cluster.stop();
  }
}

if (isMain(import.meta.url)) {
  runClusterBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
