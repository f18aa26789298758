/**
 * Producer impact: what ten dashboards and the worker cost a producer. A private redis-server and
 * a producer (pipelined XADD, 100 per pipeline, for PRODUCER_SECONDS, default 15) share CPU 0
 * (`taskset -c 0`); the app and the dashboards run on CPU 1. Measured: the producer's XADD/s alone
 * (before and after), then with ten dashboards polling the overview and a group page every second
 * on 200 streams and the worker ticking every 5 s; the ratio (target >= 0.95); and the Redis time
 * per second of everything but the producer's XADD (`INFO commandstats` usec deltas, target
 * <= 5 ms/s). Without `taskset` everything runs unpinned (said in the output).
 * Run: `npx tsx bench/producer.ts`.
 */
import { spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";
import { seedLoadStreams } from "./load";
import { ensureBuilt, isMain, OVERVIEW_PAGE_PATHS, startApp } from "./lib";

const DASHBOARDS = 10;
const WORKER_INTERVAL_MS = 5000;
const PIPELINE = 100;
const TARGET_RATIO = 0.95;
const TARGET_REDIS_MS_PER_SEC = 5;

export interface ProducerRun {
  xaddPerSec: number;
  p50PipelineMs: number;
  p99PipelineMs: number;
}

export interface ProducerBenchResult {
  pinned: boolean;
  alone: ProducerRun[];
  watched: ProducerRun;
  ratio: number;
  /** Redis time per second of everything but XADD while the dashboards watched. */
  otherRedisMsPerSec: number;
  otherCallsPerSec: number;
  producerRedisMsPerSec: number;
  topCommands: { command: string; calls: number; usecPerSec: number }[];
  /** Dashboard refreshes completed per second in the window (10 when the app keeps up). */
  refreshesPerSec: number;
  loadAverage: number[];
}

// Runs in its own node process (pinned with taskset): one connection, pipelines of XADD back to back.
const PRODUCER_SOURCE = `
const Redis = require("ioredis");
const [url, seconds, batch] = process.argv.slice(1);
const redis = new Redis(url);
const payload = "x".repeat(100);
(async () => {
  const lat = [];
  let n = 0;
  const t0 = performance.now();
  const end = t0 + Number(seconds) * 1000;
  while (performance.now() < end) {
    const p = redis.pipeline();
    for (let i = 0; i < Number(batch); i++) p.xadd("producer:events", "MAXLEN", "~", "100000", "*", "n", String(n + i), "payload", payload);
    const t = performance.now();
    await p.exec();
    lat.push(performance.now() - t);
    n += Number(batch);
  }
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = (q) => lat[Math.min(lat.length - 1, Math.ceil(q * lat.length) - 1)];
  console.log(JSON.stringify({ xaddPerSec: n / elapsed, p50PipelineMs: pct(0.5), p99PipelineMs: pct(0.99) }));
  redis.disconnect();
})();
`;

function hasTaskset(): boolean {
  return spawnSync("sh", ["-c", "command -v taskset"]).status === 0;
}

function runProducer(url: string, seconds: number, pinned: boolean): Promise<ProducerRun> {
  const node = [process.execPath, "-e", PRODUCER_SOURCE, url, String(seconds), String(PIPELINE)];
  const [cmd, ...args] = pinned ? ["taskset", "-c", "0", ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { stdio: ["ignore", "pipe", "inherit"], cwd: process.cwd() });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`producer exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!) as ProducerRun);
    });
  });
}

/** `cmdstat_<name>` -> {calls, usec}. */
async function commandStats(redis: Redis): Promise<Map<string, { calls: number; usec: number }>> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const line of (await redis.info("commandstats")).split("\n")) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

export async function runProducerBench(): Promise<ProducerBenchResult> {
  const seconds = Number(process.env.PRODUCER_SECONDS ?? 15);
  ensureBuilt();
  const pinned = hasTaskset();
  if (!pinned) console.log("producer: taskset not found: Redis, the producer and the app run unpinned");
  const server = await startRedisServer();
  const admin = new Redis(server.url);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let polling = false;
  const dashboards: Promise<void>[] = [];
  try {
    if (pinned) {
      spawnSync("taskset", ["-a", "-cp", "0", String(server.pid)], { stdio: "ignore" });
      // This process (seeding, the dashboards' HTTP clients) stays off the producer's CPU.
      spawnSync("taskset", ["-a", "-cp", "1", String(process.pid)], { stdio: "ignore" });
    }
    await seedLoadStreams(admin);

    const alone1 = await runProducer(server.url, seconds, pinned);

    app = await startApp(server.url, {
      cpus: pinned ? "1" : undefined,
      env: { WORKER: "on", WORKER_INTERVAL_MS: String(WORKER_INTERVAL_MS), READ_CACHE_MS: "1000" },
    });
    const base = app.url;
    polling = true;
    let errors = 0;
    let refreshes = 0;
    const get = async (path: string) => {
      try {
        const res = await fetch(`${base}${path}`);
        await res.arrayBuffer();
        if (!res.ok) errors++;
      } catch {
        errors++;
      }
    };
    for (let d = 0; d < DASHBOARDS; d++) {
      dashboards.push(
        (async () => {
          await new Promise((r) => setTimeout(r, (d * 1000) / DASHBOARDS));
          const key = encodeURIComponent(`load:stream:${String(d * 7).padStart(3, "0")}`);
          while (polling) {
            const t0 = Date.now();
            await Promise.all([
              ...OVERVIEW_PAGE_PATHS.map(get),
              get(`/api/streams/${key}/groups/g1`),
              get(`/api/streams/${key}/groups/g1/pending?count=100`),
            ]);
            refreshes++;
            await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
          }
        })(),
      );
    }
    // Let the dashboards and a worker tick warm up before measuring.
    await new Promise((r) => setTimeout(r, WORKER_INTERVAL_MS + 1000));
    const before = await commandStats(admin);
    const refreshesBefore = refreshes;
    const t0 = performance.now();
    const watched = await runProducer(server.url, seconds, pinned);
    const window = (performance.now() - t0) / 1000;
    const refreshesPerSec = (refreshes - refreshesBefore) / window;
    const after = await commandStats(admin);
    const loadAverage = loadavg();
    polling = false;
    await Promise.all(dashboards);
    await app.stop();
    app = undefined;

    const alone2 = await runProducer(server.url, seconds, pinned);

    const deltas = [...after].map(([command, a]) => {
      const b = before.get(command) ?? { calls: 0, usec: 0 };
      return { command, calls: a.calls - b.calls, usec: a.usec - b.usec };
    });
    const others = deltas.filter((d) => d.command !== "xadd" && d.command !== "info");
    const xadd = deltas.find((d) => d.command === "xadd");
    const aloneMean = (alone1.xaddPerSec + alone2.xaddPerSec) / 2;
    const result: ProducerBenchResult = {
      pinned,
      alone: [alone1, alone2],
      watched,
      ratio: watched.xaddPerSec / aloneMean,
      otherRedisMsPerSec: others.reduce((n, d) => n + d.usec, 0) / 1000 / window,
      otherCallsPerSec: others.reduce((n, d) => n + d.calls, 0) / window,
      producerRedisMsPerSec: (xadd?.usec ?? 0) / 1000 / window,
      topCommands: others
        .sort((a, b) => b.usec - a.usec)
        .slice(0, 6)
        .map((d) => ({ command: d.command, calls: d.calls, usecPerSec: d.usec / window })),
      refreshesPerSec,
      loadAverage,
    };

    const run = (name: string, r: ProducerRun) =>
      console.log(
        `${name.padEnd(36)} ${r.xaddPerSec.toFixed(0).padStart(8)} ${r.p50PipelineMs.toFixed(2).padStart(8)} ${r.p99PipelineMs.toFixed(2).padStart(8)}`,
      );
    console.log(
      `\nproducer: ${seconds} s per run, pipelines of ${PIPELINE} XADD, ${pinned ? "Redis + producer on CPU 0, app on CPU 1" : "unpinned"} (${new Date().toISOString()})`,
    );
    console.log(`${"run".padEnd(36)} ${"XADD/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}`);
    run("alone (before)", alone1);
    run(`with ${DASHBOARDS} dashboards + worker`, watched);
    run("alone (after)", alone2);
    console.log(`ratio watched / alone: ${result.ratio.toFixed(3)} (target >= ${TARGET_RATIO})`);
    console.log(
      `Redis time of the dashboards + worker: ${result.otherRedisMsPerSec.toFixed(1)} ms/s, ${result.otherCallsPerSec.toFixed(0)} commands/s ` +
        `(target <= ${TARGET_REDIS_MS_PER_SEC} ms/s); the producer's XADD: ${result.producerRedisMsPerSec.toFixed(1)} ms/s`,
    );
    console.log(
      `  top: ${result.topCommands.map((c) => `${c.command} ${(c.usecPerSec / 1000).toFixed(1)} ms/s (${(c.calls / window).toFixed(0)}/s)`).join(", ")}`,
    );
    console.log(
      `dashboard refreshes: ${refreshesPerSec.toFixed(1)}/s (${DASHBOARDS}/s when the app keeps up), request errors: ${errors}`,
    );
    console.log(`load average: ${loadAverage.map((l) => l.toFixed(2)).join(", ")} (2 cores, shared)`);
    return result;
  } finally {
    polling = false;
    await Promise.allSettled(dashboards);
    await app?.stop();
    admin.disconnect();
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  runProducerBench().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
