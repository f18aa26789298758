/**
 * Load benchmark: 200 streams with 2 groups each (pending and stuck messages) on a private
 * redis-server, the built app, then 50 concurrent clients for LOAD_SECONDS (default 30) on the mix
 * of the dashboard's pages: the overview (GET /api/streams?offset=0&count=200 + /api/overview, as the page polls them), a stream page
 * (GET /api/streams/{key} + its entries), a group page (GET /api/streams/{key}/groups/{group} +
 * its pending page) and a few acks of one pending id each. Prints count, errors, p50 and p99 per
 * kind and the total requests/s next to the targets. Then the framework's floor: the same clients on
 * a route that does no Redis work (floorRun), for LOAD_FLOOR_SECONDS (default 10).
 * The app runs as deployed by default: the worker on (the overview's stuck counts come from its
 * snapshot; the run waits for the first one) and the 1 s read cache.
 * Run: `npx tsx bench/load.ts` (LOAD_SECONDS, LOAD_CLIENTS; LOAD_PROCESSES=N app processes on the
 * port, as `STREAMSCOPE_PROCESSES`, default 1; LOAD_WORKER=off; LOAD_CPU_PROF=<dir> runs the app with
 * `--cpu-prof` into that directory, summarised by `npx tsx bench/cpu-profile.ts <dir>`).
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";
import { ensureBuilt, isMain, OVERVIEW_PAGE_PATHS, processTreeCpuSec, startApp } from "./lib";

const STREAMS = 200;
const ENTRIES = 60;
/** Messages delivered to g1 and not acked, per stream: the acks' supply. */
const PENDING_G1 = 40;
const PENDING_G2 = 5;
/** Of g1's pending messages, this many per stream are made idle for 10 minutes (stuck). */
const STUCK_G1 = 10;
const GROUPS = ["g1", "g2"] as const;

type Kind = "overview" | "stream" | "group" | "ack";
/** Out of 100 client iterations. */
const MIX: [Kind, number][] = [
  ["overview", 30],
  ["stream", 30],
  ["group", 35],
  ["ack", 5],
];
const TARGET_P99_MS: Record<Kind, number> = { overview: 250, stream: 250, group: 250, ack: 500 };
const TARGET_RPS = 500;
/** lib/streams/stuck-snapshot.ts under the default prefix. */
const STUCK_SNAPSHOT_KEY = "streamscope:stuck-snapshot";

export interface LoadKindResult {
  kind: Kind;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadBenchResult {
  seconds: number;
  clients: number;
  requests: number;
  errors: number;
  requestsPerSec: number;
  kinds: LoadKindResult[];
  /** One client alone: the overview pair's median time before the load. */
  aloneOverviewMs: number;
  /** redis-server's CPU (user + sys) over the run, in % of one core. */
  redisCpuPct: number;
  redisCommandsPerSec: number;
  /** Time inside commands per second (INFO commandstats usec). */
  redisBusyMsPerSec: number;
  /** This process (the 50 clients) over the run, in % of one core: it shares the 2 cores with the app. */
  clientCpuPct: number;
  /** The app's processes over the run, in % of one core. */
  appCpuPct: number;
  /** App processes on the port. */
  processes: number;
  /** The app's CPU time per answered request. */
  appCpuMsPerRequest: number;
  /** The same clients on a route that does no Redis work: what the framework alone allows. */
  floor: FloorResult;
  loadAverage: number[];
}

/**
 * The framework's floor: the same clients, each asking `GET /api/auth/me` twice at once (the pages
 * ask pairs), a route through the same wrapper (auth, audit rules, JSON) with no Redis work at all.
 */
export interface FloorResult {
  path: string;
  seconds: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  appCpuMsPerRequest: number;
}

const FLOOR_PATH = "/api/auth/me";

async function floorRun(
  base: string,
  appPid: number | undefined,
  clients: number,
  seconds: number,
): Promise<FloorResult> {
  const latencies: number[] = [];
  const ask = async () => {
    const t0 = performance.now();
    const res = await fetch(`${base}${FLOOR_PATH}`);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${FLOOR_PATH} answered ${res.status}`);
    latencies.push(performance.now() - t0);
  };
  const cpuBefore = processTreeCpuSec(appPid);
  const t0 = performance.now();
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) await Promise.all([ask(), ask()]);
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpuSec = processTreeCpuSec(appPid) - cpuBefore;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    path: FLOOR_PATH,
    seconds,
    requestsPerSec: sorted.length / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    appCpuMsPerRequest: (cpuSec * 1000) / sorted.length,
  };
}

const streamKey = (i: number) => `load:stream:${String(i).padStart(3, "0")}`;

/** Seeds the streams; returns the pending ids of g1 per stream (the acks take them one by one). */
export async function seedLoadStreams(redis: Redis): Promise<Map<string, string[]>> {
  const pending = new Map<string, string[]>();
  const base = Date.now() - 3_600_000;
  for (let start = 0; start < STREAMS; start += 50) {
    const pipe = redis.pipeline();
    for (let i = start; i < Math.min(STREAMS, start + 50); i++) {
      const key = streamKey(i);
      for (let e = 0; e < ENTRIES; e++)
        pipe.xadd(
          key,
          `${base + i * 1000 + e}-0`,
          "order",
          `o-${i}-${e}`,
          "amount",
          String(e),
          "payload",
          "x".repeat(80),
        );
      for (const g of GROUPS) pipe.xgroup("CREATE", key, g, "0");
      pipe.xreadgroup("GROUP", "g1", "c1", "COUNT", PENDING_G1, "STREAMS", key, ">");
      pipe.xreadgroup("GROUP", "g2", "c1", "COUNT", PENDING_G2, "STREAMS", key, ">");
    }
    const replies = (await pipe.exec()) ?? [];
    for (const [err, reply] of replies) {
      if (err) throw err;
      const streams = reply as [string, [string, string[]][]][] | string | null;
      if (!Array.isArray(streams)) continue;
      for (const [key, entries] of streams) {
        if (!pending.has(key))
          pending.set(
            key,
            entries.map(([id]) => id),
          );
      }
    }
  }
  // XCLAIM ... IDLE sets a message's idle time: the first STUCK_G1 of each g1 list look stuck.
  const pipe = redis.pipeline();
  for (const [key, ids] of pending)
    pipe.xclaim(key, "g1", "c1", 0, ...ids.slice(0, STUCK_G1), "IDLE", 600_000, "JUSTID");
  await pipe.exec();
  return pending;
}

/** redis-server's CPU seconds and the totals of INFO commandstats. */
async function redisCounters(redis: Redis): Promise<{ cpuSec: number; calls: number; usec: number }> {
  const cpu = await redis.info("cpu");
  const num = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(cpu)?.[1] ?? 0);
  let calls = 0;
  let usec = 0;
  for (const m of (await redis.info("commandstats")).matchAll(/calls=(\d+),usec=(\d+)/g)) {
    calls += Number(m[1]);
    usec += Number(m[2]);
  }
  return { cpuSec: num("used_cpu_sys") + num("used_cpu_user"), calls, usec };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function pickKind(): Kind {
  let r = Math.random() * 100;
  for (const [kind, weight] of MIX) {
    if (r < weight) return kind;
    r -= weight;
  }
  return "group";
}

export async function runLoadBench(): Promise<LoadBenchResult> {
  const seconds = Number(process.env.LOAD_SECONDS ?? 30);
  const clients = Number(process.env.LOAD_CLIENTS ?? 50);
  const profDir = process.env.LOAD_CPU_PROF ? resolve(process.env.LOAD_CPU_PROF) : undefined;
  const processes = Number(process.env.LOAD_PROCESSES ?? 1);
  const worker = process.env.LOAD_WORKER === "off" ? "off" : "on";
  ensureBuilt();
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const pending = await seedLoadStreams(redis);
    // The acks take the ids that are not stuck, from the end, so the stuck ones stay for the overview.
    const ackable = [...pending].flatMap(([key, ids]) => ids.slice(STUCK_G1).map((id) => ({ key, id })));
    app = await startApp(server.url, {
      // The default read cache, as deployed: identical polled reads within a second are shared.
      env: { READ_CACHE_MS: "1000", WORKER: worker },
      nodeArgs: profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [],
      processes,
    });
    const base = app.url;
    const enc = encodeURIComponent;
    if (worker === "on") {
      // The worker's first tick comes one WORKER_INTERVAL_MS (15 s) after the start.
      const until = Date.now() + 60_000;
      while (Date.now() < until && !(await redis.exists(STUCK_SNAPSHOT_KEY)))
        await new Promise((r) => setTimeout(r, 500));
      if (!(await redis.exists(STUCK_SNAPSHOT_KEY))) throw new Error("the worker kept no stuck snapshot within 60 s");
    }

    const latencies: Record<Kind, number[]> = { overview: [], stream: [], group: [], ack: [] };
    const errors: Record<Kind, number> = { overview: 0, stream: 0, group: 0, ack: 0 };
    const errorSamples: string[] = [];
    let measuring = false;
    const call = async (kind: Kind, path: string, init?: RequestInit) => {
      const t0 = performance.now();
      let failure: string | undefined;
      try {
        // Node's fetch keeps connections alive (undici's global agent).
        const res = await fetch(`${base}${path}`, init);
        await res.arrayBuffer();
        if (!res.ok) failure = `${init?.method ?? "GET"} ${path} answered ${res.status}`;
      } catch (err) {
        failure = `${init?.method ?? "GET"} ${path}: ${(err as Error).message}`;
      }
      if (!measuring) return;
      latencies[kind].push(performance.now() - t0);
      if (failure) {
        errors[kind]++;
        if (errorSamples.length < 5) errorSamples.push(failure);
      }
    };
    const page = async (kind: Kind) => {
      const i = Math.floor(Math.random() * STREAMS);
      const key = enc(streamKey(i));
      const group = GROUPS[i % 2]!;
      switch (kind) {
        case "overview":
          await Promise.all(OVERVIEW_PAGE_PATHS.map((path) => call(kind, path)));
          break;
        case "stream":
          await Promise.all([call(kind, `/api/streams/${key}`), call(kind, `/api/streams/${key}/entries?count=50`)]);
          break;
        case "group":
          await Promise.all([
            call(kind, `/api/streams/${key}/groups/${group}`),
            call(kind, `/api/streams/${key}/groups/${group}/pending?count=100`),
          ]);
          break;
        case "ack": {
          const target = ackable.pop();
          if (!target) return page("group");
          await call(kind, `/api/streams/${enc(target.key)}/groups/g1/ack`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ ids: [target.id] }),
          });
        }
      }
    };

    // Warm-up: every route once (first requests compile and load modules).
    for (const kind of ["overview", "stream", "group"] as const) await page(kind);
    const warmEnd = Date.now() + 3000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < warmEnd) await page(pickKind() === "ack" ? "group" : pickKind());
      }),
    );

    // One client alone, for comparison: the overview pair, sequentially.
    const alone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await Promise.all(OVERVIEW_PAGE_PATHS.map((path) => fetch(`${base}${path}`).then((r) => r.arrayBuffer())));
      alone.push(performance.now() - t);
    }
    const aloneOverviewMs = [...alone].sort((a, b) => a - b)[2]!;

    const redisBefore = await redisCounters(redis);
    const clientCpuBefore = process.cpuUsage();
    const appCpuBefore = processTreeCpuSec(app.process.pid);
    measuring = true;
    const t0 = performance.now();
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() < end) await page(pickKind());
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    measuring = false;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const appCpuPct = (100 * (processTreeCpuSec(app.process.pid) - appCpuBefore)) / elapsed;
    const redisAfter = await redisCounters(redis);
    const clientCpuPct = (clientCpu.user + clientCpu.system) / 1e4 / elapsed;
    const loadAverage = loadavg();
    const redisCpuPct = (100 * (redisAfter.cpuSec - redisBefore.cpuSec)) / elapsed;
    const redisCommandsPerSec = (redisAfter.calls - redisBefore.calls) / elapsed;
    const redisBusyMsPerSec = (redisAfter.usec - redisBefore.usec) / 1000 / elapsed;

    const kinds: LoadKindResult[] = MIX.map(([kind]) => {
      const sorted = [...latencies[kind]].sort((a, b) => a - b);
      return {
        kind,
        requests: sorted.length,
        errors: errors[kind],
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
      };
    });
    const requests = kinds.reduce((n, k) => n + k.requests, 0);
    const floor = await floorRun(base, app.process.pid, clients, Number(process.env.LOAD_FLOOR_SECONDS ?? 10));
    const totalErrors = kinds.reduce((n, k) => n + k.errors, 0);
    const result: LoadBenchResult = {
      seconds,
      clients,
      requests,
      errors: totalErrors,
      requestsPerSec: requests / elapsed,
      kinds,
      aloneOverviewMs,
      redisCpuPct,
      redisCommandsPerSec,
      redisBusyMsPerSec,
      clientCpuPct,
      appCpuPct,
      processes,
      appCpuMsPerRequest: (appCpuPct * 10 * elapsed) / requests,
      floor,
      loadAverage,
    };

    console.log(
      `\nload: ${clients} clients for ${seconds} s on ${STREAMS} streams x 2 groups, ${processes} app process(es), ` +
        `worker ${worker} (${new Date().toISOString()})`,
    );
    console.log(
      `${"kind".padEnd(10)} ${"requests".padStart(9)} ${"errors".padStart(7)} ${"p50".padStart(8)} ${"p99".padStart(8)}  target`,
    );
    for (const k of kinds)
      console.log(
        `${k.kind.padEnd(10)} ${String(k.requests).padStart(9)} ${String(k.errors).padStart(7)} ` +
          `${`${k.p50Ms.toFixed(0)} ms`.padStart(8)} ${`${k.p99Ms.toFixed(0)} ms`.padStart(8)}  ` +
          `p99 < ${TARGET_P99_MS[k.kind]} ms, 0 errors`,
      );
    console.log(
      `total      ${String(requests).padStart(9)} ${String(totalErrors).padStart(7)}  ` +
        `${result.requestsPerSec.toFixed(0)} req/s (target >= ${TARGET_RPS} req/s, 0 errors)`,
    );
    console.log(
      `one client alone: the overview pair in ${aloneOverviewMs.toFixed(0)} ms (median of 5, before the load)`,
    );
    console.log(
      `redis-server: ${redisCpuPct.toFixed(0)}% of a core, ${redisCommandsPerSec.toFixed(0)} commands/s, ` +
        `${redisBusyMsPerSec.toFixed(0)} ms/s inside commands; the clients (this process): ${clientCpuPct.toFixed(0)}% of a core`,
    );
    console.log(
      `the app: ${appCpuPct.toFixed(0)}% of a core, ${result.appCpuMsPerRequest.toFixed(2)} ms of CPU per request`,
    );
    console.log(
      `the framework's floor: ${clients} clients asking ${floor.path} (no Redis work) in pairs for ${floor.seconds} s: ` +
        `${floor.requestsPerSec.toFixed(0)} req/s, p50 ${floor.p50Ms.toFixed(0)} ms, p99 ${floor.p99Ms.toFixed(0)} ms, ` +
        `${floor.appCpuMsPerRequest.toFixed(2)} ms of CPU per request`,
    );
    console.log(`load average at the end: ${loadAverage.map((l) => l.toFixed(2)).join(", ")} (2 cores, shared)`);
    if (errorSamples.length > 0) console.log(`first errors: ${errorSamples.join("; ")}`);
    return result;
  } finally {
    await app?.stop();
    redis.disconnect();
    await server.stop();
    if (profDir) console.log(`CPU profile of the app in ${profDir}: npx tsx bench/cpu-profile.ts ${profDir}`);
  }
}

if (isMain(import.meta.url)) {
  runLoadBench().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
