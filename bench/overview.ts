/**
 * Overview benchmark: 10,000 streams with 2 groups each on a private redis-server. Times the
 * full overview through the API (every SCAN page of GET /api/streams, then GET /api/overview)
 * against a minimal ioredis script issuing the same SCAN and pipelined commands, 11 runs of each,
 * taken alternately so both see the same machine load: the ratio of the medians, and the median of
 * the rounds' own ratios.
 *
 * Then 100,000 streams (manyStreamsOverview): the first page of the stream index, its first full
 * pass, and the whole overview through the index against the minimal script, with the bytes answered.
 *
 * Then a big key space: 1,000 streams among 2,000,000 other keys (DEBUG POPULATE). Prints the time
 * to the first page of the stream index (answered while its first pass runs, with its progress),
 * the time until that pass ends (the total is exact), then the whole overview through the index
 * (every page and the tiles) against the minimal script's fresh SCAN of the key space, and the
 * slow log's count of dashboard commands over 10 ms.
 * Run: `npx tsx bench/overview.ts` (builds the app first when `.next` is missing).
 */
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";
import {
  ensureBuilt,
  fmtMs,
  interleavedMedians,
  isMain,
  median,
  minimalOverview,
  MINIMAL_PAGE_COUNT,
  seedOverviewStreams,
  startApp,
  timeMs,
} from "./lib";

const STREAMS = 10_000;
const PAGE_COUNT = MINIMAL_PAGE_COUNT;
/** Rounds of the 10,000-stream comparison: with 5, the ratio moved by ±0.15 between runs of the bench here. */
const RUNS = 11;

export interface OverviewBenchResult {
  streams: number;
  apiMedianMs: number;
  scriptMedianMs: number;
  ratio: number;
  apiRunsMs: number[];
  scriptRunsMs: number[];
  /** The median of the rounds' own ratios (API run over the script run right after it). */
  pairedRatio: number;
  /** The overview as the UI reads it: pages of the stream index (its first pass done), then the tiles. */
  indexMedianMs: number;
  indexRatio: number;
  indexPairedRatio: number;
  requestPath: RequestPath;
  bigKeyspace?: BigKeyspaceResult;
  manyStreams?: ManyStreamsResult;
}

function seed(redis: Redis, count: number): Promise<void> {
  return seedOverviewStreams(() => redis, count);
}

/** Called with each API answer a pass reads (requestPath sums their Server-Timing). */
type OnAnswer = (res: Response) => void;

/** Every SCAN page of `GET /api/streams` (the cursor form); the rows listed. */
export async function apiList(url: string, onAnswer?: OnAnswer): Promise<number> {
  let cursor = "0";
  let rows = 0;
  do {
    const res = await fetch(`${url}/api/streams?cursor=${cursor}&count=${PAGE_COUNT}`);
    if (!res.ok) throw new Error(`GET /api/streams answered ${res.status}`);
    onAnswer?.(res);
    const body = (await res.json()) as { streams: unknown[]; cursor: string };
    rows += body.streams.length;
    cursor = body.cursor;
  } while (cursor !== "0");
  return rows;
}

/** The overview's tiles: `GET /api/overview`, answered in bytes. */
export async function apiSummary(url: string, onAnswer?: OnAnswer): Promise<number> {
  const summary = await fetch(`${url}/api/overview`);
  if (!summary.ok) throw new Error(`GET /api/overview answered ${summary.status}`);
  onAnswer?.(summary);
  const text = await summary.text();
  JSON.parse(text);
  return Buffer.byteLength(text);
}

/** The whole overview through the API's cursor form: every page, then the tiles. */
export async function viaApi(url: string): Promise<number> {
  const rows = await apiList(url);
  await apiSummary(url);
  return rows;
}

/** The `app;dur=` of an answer's Server-Timing (lib/http/route.ts): ms spent in its route handler. */
function handlerMs(res: Response): number {
  const dur = /(?:^|,)\s*app;dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "");
  if (!dur) throw new Error("an API answer without Server-Timing app;dur");
  return Number(dur[1]);
}

export interface RequestPath {
  /** The whole overview through the API's cursor form, as the client times it. */
  passMs: number;
  /** Of which in the route handlers (Redis reads, rows, JSON), by their Server-Timing. */
  handlersMs: number;
  requests: number;
  /** The minimal script's pass, in turns with the API's. */
  scriptMs: number;
  /** A GET of a static file (the favicon): Next.js's request handling and HTTP with no app code. */
  staticRequestMs: number;
  /** Passes measured (each in turn with a pass of the script). */
  rounds: number;
}

/**
 * Where a pass through the API goes, in turns with the script as the ratios are measured (the
 * medians of `rounds`): inside the route handlers, and outside them (Next.js's request handling,
 * HTTP, the client's fetch and JSON.parse).
 */
async function requestPath(url: string, script: () => Promise<unknown>, rounds = 7): Promise<RequestPath> {
  const passes: number[] = [];
  const handlers: number[] = [];
  const scripts: number[] = [];
  let requests = 0;
  for (let i = 0; i < rounds; i++) {
    let inHandlers = 0;
    requests = 0;
    const onAnswer = (res: Response) => {
      inHandlers += handlerMs(res);
      requests++;
    };
    const started = performance.now();
    await apiList(url, onAnswer);
    await apiSummary(url, onAnswer);
    passes.push(performance.now() - started);
    handlers.push(inHandlers);
    scripts.push(await timeMs(script));
  }
  const statics = 200;
  const started = performance.now();
  for (let i = 0; i < statics; i++) await (await fetch(`${url}/favicon.ico`)).arrayBuffer();
  return {
    passMs: median(passes),
    handlersMs: median(handlers),
    requests,
    scriptMs: median(scripts),
    staticRequestMs: (performance.now() - started) / statics,
    rounds,
  };
}

/** The same commands the API issues, with nothing else around them: no HTTP, no JSON rows. */
function viaScript(redis: Redis): Promise<number> {
  return minimalOverview([redis]);
}

export interface BigKeyspaceResult {
  otherKeys: number;
  streams: number;
  firstPageMs: number;
  /** The first page's progress: keys scanned of about how many. */
  firstPageScanned: number;
  firstPageAbout: number;
  fullPassMs: number;
  indexMedianMs: number;
  scanMedianMs: number;
  slowDashboardCommands: number;
}

const BIG_OTHER_KEYS = 2_000_000;
const BIG_STREAMS = 1000;
const INDEX_PAGE = 200;

type IndexPage = {
  streams: unknown[];
  index: { total: number; exact: boolean; scanned: number; about: number; next?: number };
};

export async function indexPage(url: string, offset: number, count = INDEX_PAGE): Promise<IndexPage> {
  return (await indexAnswer(url, offset, count)).page;
}

/** One answer of the index, and its bytes when `sized` (else 0: the timed passes do not count them). */
async function indexAnswer(
  url: string,
  offset: number,
  count: number,
  sized = false,
): Promise<{ page: IndexPage; bytes: number }> {
  const res = await fetch(`${url}/api/streams?offset=${offset}&count=${count}`);
  if (!res.ok) throw new Error(`GET /api/streams?offset= answered ${res.status}`);
  const text = await res.text();
  return { page: JSON.parse(text) as IndexPage, bytes: sized ? Buffer.byteLength(text) : 0 };
}

/** Every page of the index in `count`s (an answer cut at the byte limit goes on at its `next`): its rows (and bytes when `sized`). */
async function walkIndex(url: string, count: number, sized = false): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  let offset = 0;
  let total = 0;
  do {
    const answer = await indexAnswer(url, offset, count, sized);
    rows += answer.page.streams.length;
    bytes += answer.bytes;
    total = answer.page.index.total;
    offset = answer.page.index.next ?? offset + count;
  } while (offset < total);
  return { rows, bytes };
}

/** Waits (at most 60 s) until the stream index's first pass has ended and its total is exact. */
export async function indexSettled(url: string): Promise<void> {
  for (let tries = 0; !(await indexPage(url, 0, 1)).index.exact; tries++) {
    if (tries > 600) throw new Error("the stream index did not finish its first pass in 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The whole overview through the index: every page, then the tiles. */
export async function viaIndex(url: string, count = INDEX_PAGE): Promise<number> {
  const { rows } = await walkIndex(url, count);
  await apiSummary(url);
  return rows;
}

export async function bigKeyspaceOverview(
  opts: { otherKeys?: number; streams?: number; runs?: number } = {},
): Promise<BigKeyspaceResult> {
  const otherKeys = opts.otherKeys ?? BIG_OTHER_KEYS;
  const streams = opts.streams ?? BIG_STREAMS;
  const runs = opts.runs ?? 3;
  ensureBuilt();
  const server = await startRedisServer({ extraArgs: ["--enable-debug-command", "local"] });
  const redis = new Redis(server.url);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    console.log(`overview bench: ${streams} streams among ${otherKeys} other keys (DEBUG POPULATE)...`);
    await redis.call("DEBUG", "POPULATE", otherKeys, "bench:filler");
    await seed(redis, streams);
    await redis.config("SET", "slowlog-log-slower-than", "10000");
    await redis.slowlog("RESET");
    app = await startApp(server.url);
    const url = app.url;

    const started = performance.now();
    const first = await indexPage(url, 0);
    const firstPageMs = performance.now() - started;
    let last = first;
    while (!last.index.exact) {
      await new Promise((r) => setTimeout(r, 100));
      last = await indexPage(url, 0);
    }
    const fullPassMs = performance.now() - started;
    if (last.index.total !== streams)
      throw new Error(`the index holds ${last.index.total} streams, expected ${streams}`);

    const { a: index, b: scan } = await interleavedMedians(
      runs,
      () => viaIndex(url),
      () => viaScript(redis),
    );
    const entries = (await redis.slowlog("GET", 1000)) as unknown[][];
    const slow = entries.filter((e) => String(e[5] ?? "").startsWith("streamscope"));
    const slowDashboardCommands = slow.length;
    for (const e of slow) {
      const args = (e[3] as unknown[]).map(String).slice(0, 8).join(" ");
      console.log(`  slow log: ${(Number(e[2]) / 1000).toFixed(1)} ms ${args}`);
    }
    const result: BigKeyspaceResult = {
      otherKeys,
      streams,
      firstPageMs,
      firstPageScanned: first.index.scanned,
      firstPageAbout: first.index.about,
      fullPassMs,
      indexMedianMs: index.medianMs,
      scanMedianMs: scan.medianMs,
      slowDashboardCommands,
    };
    console.log(
      `overview among ${otherKeys} other keys: first page ${fmtMs(firstPageMs)} (still discovering: ${first.index.scanned} keys scanned of about ${first.index.about}), full pass ${fmtMs(fullPassMs)}`,
    );
    console.log(
      `  whole overview through the index ${fmtMs(index.medianMs)} vs a fresh SCAN (minimal script) ${fmtMs(scan.medianMs)} (median of ${runs}); dashboard commands over 10 ms: ${slowDashboardCommands}`,
    );
    return result;
  } finally {
    await app?.stop();
    redis.disconnect();
    await server.stop();
  }
}

/** The 10,000-stream overview, then (unless turned off) 100,000 streams and the big key space. */
export async function runOverviewBench(
  opts: { streams?: number; runs?: number; manyStreams?: boolean; bigKeyspace?: boolean } = {},
): Promise<OverviewBenchResult> {
  const result: OverviewBenchResult = await smallStreamsOverview(opts);
  if (opts.manyStreams !== false) result.manyStreams = await manyStreamsOverview();
  if (opts.bigKeyspace !== false) result.bigKeyspace = await bigKeyspaceOverview();
  return result;
}

export interface ManyStreamsResult {
  streams: number;
  /** The first page of the stream index on a fresh app (its first pass still running). */
  firstPageMs: number;
  firstPageBytes: number;
  /** Until the index's first pass ends (the total is exact). */
  fullPassMs: number;
  /** The whole overview through the index (every page, then the tiles), and its bytes. */
  indexMedianMs: number;
  indexBytes: number;
  /** The minimal script's fresh SCAN and pipelined reads of the same streams. */
  scriptMedianMs: number;
  ratio: number;
}

const MANY_STREAMS = 100_000;

/** Every page of the index and the tiles, counting the bytes of the answers. */
async function indexBytes(url: string, count: number): Promise<{ rows: number; bytes: number }> {
  const walked = await walkIndex(url, count, true);
  return { rows: walked.rows, bytes: walked.bytes + (await apiSummary(url)) };
}

/**
 * 100,000 small streams on one server (seeded by pipelines): the first page of the index on a
 * fresh app, the time until its first pass ends, then the whole overview through the index (pages
 * of MINIMAL_PAGE_COUNT and the tiles, which sum over their first SUMMARY_STREAM_CAP streams)
 * against the minimal script, with the bytes answered.
 */
export async function manyStreamsOverview(opts: { streams?: number; runs?: number } = {}): Promise<ManyStreamsResult> {
  const streams = opts.streams ?? MANY_STREAMS;
  const runs = opts.runs ?? 3;
  ensureBuilt();
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    console.log(`overview bench: seeding ${streams} streams with 2 groups each...`);
    await seed(redis, streams);
    app = await startApp(server.url);
    const url = app.url;
    const started = performance.now();
    const firstRes = await fetch(`${url}/api/streams?offset=0&count=${PAGE_COUNT}`);
    const firstText = await firstRes.text();
    const firstPageMs = performance.now() - started;
    let last = JSON.parse(firstText) as IndexPage;
    while (!last.index.exact) {
      await new Promise((r) => setTimeout(r, 100));
      last = await indexPage(url, 0, PAGE_COUNT);
    }
    const fullPassMs = performance.now() - started;
    if (last.index.total !== streams)
      throw new Error(`the index holds ${last.index.total} streams, expected ${streams}`);
    const { rows, bytes } = await indexBytes(url, PAGE_COUNT);
    if (rows !== streams) throw new Error(`the index pages listed ${rows} streams, expected ${streams}`);
    const { a: index, b: script } = await interleavedMedians(
      runs,
      () => viaIndex(url, PAGE_COUNT),
      () => viaScript(redis),
    );
    const result: ManyStreamsResult = {
      streams,
      firstPageMs,
      firstPageBytes: Buffer.byteLength(firstText),
      fullPassMs,
      indexMedianMs: index.medianMs,
      indexBytes: bytes,
      scriptMedianMs: script.medianMs,
      ratio: index.medianMs / script.medianMs,
    };
    const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
    console.log(
      `overview of ${streams} streams: first page ${fmtMs(firstPageMs)} (${mib(result.firstPageBytes)}), first full pass ${fmtMs(fullPassMs)}; whole overview through the index ${fmtMs(index.medianMs)} (${mib(bytes)}) vs minimal script ${fmtMs(script.medianMs)}, ratio ${result.ratio.toFixed(2)}x (median of ${runs})`,
    );
    return result;
  } finally {
    await app?.stop();
    redis.disconnect();
    await server.stop();
  }
}

async function smallStreamsOverview(opts: { streams?: number; runs?: number }): Promise<OverviewBenchResult> {
  const streams = opts.streams ?? STREAMS;
  const runs = opts.runs ?? RUNS;
  ensureBuilt();
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    console.log(`overview bench: seeding ${streams} streams with 2 groups each...`);
    await seed(redis, streams);
    app = await startApp(server.url);
    const seen = await viaApi(app.url);
    if (seen !== streams) throw new Error(`the API listed ${seen} streams, expected ${streams}`);
    const url = app.url;
    const {
      a: api,
      b: script,
      pairedRatio,
    } = await interleavedMedians(
      runs,
      () => viaApi(url),
      () => viaScript(redis),
    );
    await indexSettled(url);
    const {
      a: indexed,
      b: script2,
      pairedRatio: indexPairedRatio,
    } = await interleavedMedians(
      runs,
      () => viaIndex(url, PAGE_COUNT),
      () => viaScript(redis),
    );
    const path = await requestPath(url, () => viaScript(redis));
    const result: OverviewBenchResult = {
      streams,
      indexMedianMs: indexed.medianMs,
      indexRatio: indexed.medianMs / script2.medianMs,
      indexPairedRatio,
      pairedRatio,
      apiMedianMs: api.medianMs,
      scriptMedianMs: script.medianMs,
      ratio: api.medianMs / script.medianMs,
      apiRunsMs: api.runsMs,
      scriptRunsMs: script.runsMs,
      requestPath: path,
    };
    console.log(
      `overview (${streams} streams, median of ${runs}): API ${fmtMs(result.apiMedianMs)}, minimal ioredis script ${fmtMs(result.scriptMedianMs)}, ratio ${result.ratio.toFixed(2)}x, paired ${pairedRatio.toFixed(2)}x (target <= 1.2x)`,
    );
    console.log(`  API runs: ${api.runsMs.map(fmtMs).join(", ")}; script runs: ${script.runsMs.map(fmtMs).join(", ")}`);
    console.log(
      `  through the stream index (what the overview page reads; pages of ${PAGE_COUNT}): API ${fmtMs(indexed.medianMs)} vs script ${fmtMs(script2.medianMs)}, ratio ${result.indexRatio.toFixed(2)}x, paired ${indexPairedRatio.toFixed(2)}x (target <= 1.2x)`,
    );
    console.log(
      `  index runs: ${indexed.runsMs.map(fmtMs).join(", ")}; script runs: ${script2.runsMs.map(fmtMs).join(", ")}`,
    );
    const outside = path.passMs - path.handlersMs;
    console.log(
      `  request path (cursor form, medians of ${path.rounds} rounds in turns with the script, ${fmtMs(path.scriptMs)}): ${fmtMs(path.passMs)} = ${fmtMs(path.handlersMs)} in the route handlers (Server-Timing: Redis reads, rows, JSON; ${(path.handlersMs / path.scriptMs).toFixed(2)}x the script) + ${fmtMs(outside)} outside them over ${path.requests} requests (${(outside / path.requests).toFixed(1)} ms each: Next.js, HTTP, the client's fetch and JSON.parse; a static file's GET: ${path.staticRequestMs.toFixed(1)} ms)`,
    );
    return result;
  } finally {
    await app?.stop();
    redis.disconnect();
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  runOverviewBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
