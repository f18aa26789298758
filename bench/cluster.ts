/**
 * Cluster overview benchmark: 10,000 streams with 2 groups each over a private 3-master Redis
 * Cluster. Times the full overview through the API (every SCAN page of GET /api/streams, then
 * GET /api/overview), with the app seeded by one master's address, against a minimal ioredis
 * script issuing the same per-node SCAN and pipelined XINFO commands to each master, 11 runs of
 * each, taken alternately: the ratio of the medians, and the median of the rounds' own ratios. Also
 * times GET /api/cluster (the cluster page's read).
 * Run: `npx tsx bench/cluster.ts` (builds the app first when `.next` is missing).
 */
import calculateSlot from "cluster-key-slot";
import Redis from "ioredis";
import { startRedisCluster } from "../scripts/lib/redis-cluster";
import {
  ensureBuilt,
  fmtMs,
  interleavedMedians,
  isMain,
  medianOf,
  minimalList,
  minimalOverview,
  minimalSummary,
  MINIMAL_PAGE_COUNT,
  seedOverviewStreams,
  startApp,
} from "./lib";
import { apiList, apiSummary, indexSettled, viaApi, viaIndex } from "./overview";

const STREAMS = 10_000;
const MASTERS = 3;
const PAGE_COUNT = MINIMAL_PAGE_COUNT;
/** Rounds of each comparison: with 5, the ratio moved by ±0.1 between runs of the bench here. */
const RUNS = 11;

export interface ClusterBenchResult {
  streams: number;
  masters: number;
  apiMedianMs: number;
  scriptMedianMs: number;
  ratio: number;
  /** The median of the rounds' own ratios (API run over the script run right after it). */
  pairedRatio: number;
  /** The overview as the UI reads it: pages of the stream index (its first pass done), then the tiles. */
  indexMedianMs: number;
  indexRatio: number;
  indexPairedRatio: number;
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
  await seedOverviewStreams(await masterOfSlot(nodes), count);
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
    const {
      a: api,
      b: script,
      pairedRatio,
    } = await interleavedMedians(
      runs,
      () => viaApi(url),
      () => minimalOverview(nodes),
    );
    const parts = {
      apiList: await medianOf(runs, () => apiList(url)),
      scriptList: await medianOf(runs, () => minimalList(nodes)),
      apiSummary: await medianOf(runs, () => apiSummary(url)),
      scriptSummary: await medianOf(runs, () => minimalSummary(nodes)),
    };
    await indexSettled(url);
    const {
      a: indexed,
      b: script2,
      pairedRatio: indexPairedRatio,
    } = await interleavedMedians(
      runs,
      () => viaIndex(url, PAGE_COUNT),
      () => minimalOverview(nodes),
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
      pairedRatio,
      indexMedianMs: indexed.medianMs,
      indexRatio: indexed.medianMs / script2.medianMs,
      indexPairedRatio,
      clusterPageMedianMs: page.medianMs,
    };
    console.log(
      `cluster overview (${streams} streams over ${MASTERS} masters: ${perNode.join(" / ")}, median of ${runs}): API ${fmtMs(result.apiMedianMs)}, minimal per-node ioredis script ${fmtMs(result.scriptMedianMs)}, ratio ${result.ratio.toFixed(2)}x, paired ${pairedRatio.toFixed(2)}x (target <= 1.5x)`,
    );
    console.log(`  API runs: ${api.runsMs.map(fmtMs).join(", ")}; script runs: ${script.runsMs.map(fmtMs).join(", ")}`);
    console.log(
      `  apart: the stream list pages API ${fmtMs(parts.apiList.medianMs)} vs script ${fmtMs(parts.scriptList.medianMs)}; the overview tiles API ${fmtMs(parts.apiSummary.medianMs)} vs script ${fmtMs(parts.scriptSummary.medianMs)}`,
    );
    console.log(
      `  through the stream index (what the overview page reads; pages of ${PAGE_COUNT}): API ${fmtMs(indexed.medianMs)} vs script ${fmtMs(script2.medianMs)}, ratio ${result.indexRatio.toFixed(2)}x, paired ${indexPairedRatio.toFixed(2)}x`,
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
