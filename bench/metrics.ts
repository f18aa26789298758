/**
 * Metrics benchmark: `npx tsx bench/metrics.ts` (or `runMetricsBench()` from bench/index.ts).
 *
 * On a private redis-server, what one scrape of /api/metrics costs (what the route runs: the
 * stream index's keys, then collectMetrics; no reuse between runs): wall time (median of 5 after
 * a warm-up), bytes, Redis commands (INFO commandstats) and the slow log's dashboard commands over
 * 10 ms (target: none), for
 *  - 10,000 streams (one group each, one pending message), with the default metrics.maxStreams
 *    (1000) and with 10,000 (the byte limit then cuts);
 *  - a group with 100,000 consumers (3 own pending messages), per-consumer series off (default)
 *    and on.
 * Targets: under 1 MiB and under 1 s.
 */
import { createRequire } from "node:module";
import Redis from "ioredis";
import { seedLeakyGroup } from "../scripts/lib/leaked-consumers";
import { startRedisServer } from "../scripts/lib/redis-server";
import { median } from "./lib";

// lib/ modules import "server-only", which throws outside Next's react-server build: stand it in.
const localRequire = createRequire(__filename);
const serverOnly = localRequire.resolve("server-only");
localRequire.cache[serverOnly] = { id: serverOnly, filename: serverOnly, loaded: true, exports: {} } as never;

const STREAMS = 10_000;
const CONSUMERS = 100_000;
const RUNS = 5;
const DASHBOARD_CLIENT = "streamscope-bench-dashboard";

export interface MetricsBenchResult {
  scenario: string;
  medianMs: number;
  bytes: number;
  commands: number;
  /** Time inside Redis per scrape (commandstats). */
  redisMs: number;
  /** This process's CPU time per scrape (the app's share of a scrape, whatever the machine's load). */
  cpuMs: number;
  streams: number;
  omitted: number;
  slowDashboardCommands: number;
}

/** Commands run and microseconds spent inside Redis so far (INFO commandstats, INFO itself left out). */
async function commandStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const text = await redis.info("commandstats");
  let calls = 0;
  let usec = 0;
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    if (m[1] === "info") continue;
    calls += Number(m[2]);
    usec += Number(m[3]);
  }
  return { calls, usec };
}

/**
 * A busy machine can pause Redis in the middle of a cheap command: a slow read counts only when
 * at least two of three runs of it again are slow too.
 */
async function slowAgain(redis: Redis, cmd: string[]): Promise<boolean> {
  const replay = redis.duplicate({ connectionName: "streamscope-bench-replay" });
  try {
    let slow = 0;
    for (let i = 0; i < 3; i++) {
      await replay.slowlog("RESET");
      await replay.call(cmd[0]!, ...cmd.slice(1)).catch(() => null);
      const log = (await replay.slowlog("GET", 8)) as unknown[][];
      if (log.some((e) => e[5] === "streamscope-bench-replay" && Number(e[2]) > 10_000)) slow++;
    }
    return slow >= 2;
  } finally {
    replay.disconnect();
  }
}

async function seedStreams(redis: Redis): Promise<void> {
  for (let from = 0; from < STREAMS; from += 1000) {
    const pipe = redis.pipeline();
    for (let i = from; i < Math.min(STREAMS, from + 1000); i++) {
      const key = `bench:s:${String(i).padStart(5, "0")}`;
      pipe.xadd(key, "*", "n", "1");
      pipe.xadd(key, "*", "n", "2");
      pipe.xgroup("CREATE", key, "g", "0");
      pipe.xreadgroup("GROUP", "g", "w", "COUNT", 1, "STREAMS", key, ">");
    }
    await pipe.exec();
  }
}

async function seedConsumers(redis: Redis): Promise<void> {
  await seedLeakyGroup(redis, "bench:leaky", {
    messages: 10,
    owners: [
      ["worker-a", 1],
      ["worker-b", 2],
      ["worker-c", 3],
    ],
    leaked: CONSUMERS - 3,
  });
}

export async function runMetricsBench(): Promise<MetricsBenchResult[]> {
  const server = await startRedisServer();
  process.env.REDIS_URL = server.url;
  process.env.STREAMSCOPE_PREFIX = "streamscope:";
  process.env.LOG_LEVEL = "silent";
  const { scrapeMetrics } = await import("../lib/metrics/collect");
  const { indexedKeys } = await import("../lib/streams/list");
  const { configFileSchema } = await import("../lib/contract/config");
  const seeder = new Redis(server.url, { maxRetriesPerRequest: 1 });
  let dashboard = new Redis(server.url, { maxRetriesPerRequest: 1, connectionName: DASHBOARD_CLIENT });
  const results: MetricsBenchResult[] = [];
  try {
    await seeder.config("SET", "slowlog-log-slower-than", "10000");
    const scenarios = [
      { name: "10,000 streams, maxStreams 1000 (default)", seed: seedStreams, metrics: {} },
      { name: "10,000 streams, maxStreams 10000", seed: null, metrics: { maxStreams: 10_000 } },
      { name: "100,000 consumers, consumer series off (default)", seed: seedConsumers, metrics: {} },
      { name: "100,000 consumers, consumer series on", seed: null, metrics: { consumerSeries: true } },
    ];
    for (const s of scenarios) {
      if (s.seed) {
        await seeder.flushall();
        await s.seed(seeder);
        // A connection of its own: a fresh stream index (the index is kept per connection).
        dashboard.disconnect();
        dashboard = new Redis(server.url, { maxRetriesPerRequest: 1, connectionName: DASHBOARD_CLIENT });
      }
      const { auth: _auth, ...settings } = configFileSchema.parse({ metrics: { ...s.metrics, cacheMs: 0 } });
      void _auth;
      // The index's first pass (the route's requests walk it for 40 ms each; here until it ends).
      while (!(await indexedKeys(dashboard, "*")).complete) await new Promise((r) => setTimeout(r, 20));
      const scrape = () => scrapeMetrics(dashboard, settings, { cacheKey: "bench", now: Date.now() });
      await scrape();
      await seeder.slowlog("RESET");
      const before = await commandStats(seeder);
      const cpuBefore = process.cpuUsage();
      const runsMs: number[] = [];
      let body = "";
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        body = (await scrape()).body;
        runsMs.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpuBefore);
      const after = await commandStats(seeder);
      const commands = Math.round((after.calls - before.calls) / RUNS);
      const logged = ((await seeder.slowlog("GET", 128)) as unknown[][]).filter(
        (e) => e[5] === DASHBOARD_CLIENT && Number(e[2]) > 10_000,
      );
      const slow: unknown[][] = [];
      for (const e of logged) if (await slowAgain(seeder, e[3] as string[])) slow.push(e);
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(body)?.[1] ?? NaN);
      results.push({
        scenario: s.name,
        medianMs: Math.round(median(runsMs)),
        bytes: Buffer.byteLength(body),
        commands,
        redisMs: Math.round((after.usec - before.usec) / RUNS / 1000),
        cpuMs: Math.round((cpu.user + cpu.system) / RUNS / 1000),
        streams: gauge("streamscope_metrics_streams"),
        omitted: gauge("streamscope_metrics_streams_omitted"),
        slowDashboardCommands: slow.length,
      });
      for (const e of slow.slice(0, 5))
        console.log(`  slow: ${String(e[2])} µs ${(e[3] as string[]).slice(0, 6).join(" ")}`);
    }
  } finally {
    seeder.disconnect();
    dashboard.disconnect();
    await server.stop();
  }
  const { loadavg, cpus } = await import("node:os");
  console.log(
    `\n/api/metrics (one scrape as the route runs it, scrapeMetrics; target < 1 MiB, < 1 s, 0 slow; load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  for (const r of results) {
    console.log(
      `  ${r.scenario.padEnd(50)} ${String(r.medianMs).padStart(5)} ms  ${(r.bytes / 1024).toFixed(0).padStart(5)} KiB` +
        `  ${String(r.commands).padStart(6)} commands (${r.redisMs} ms in Redis, ${r.cpuMs} ms CPU here)  streams ${r.streams} (+${r.omitted} left out)  slow ${r.slowDashboardCommands}`,
    );
  }
  return results;
}

if (require.main === module) {
  runMetricsBench()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
