/**
 * Worker benchmark: `npx tsx bench/worker.ts` (or `runWorkerBench()` from bench/index.ts).
 *
 * On a private redis-server, what one forced tick (every job) costs, in Redis commands (INFO
 * commandstats deltas, commands run inside Lua scripts included) and wall time:
 *  - "demo": the demo's `orders_<yyyyMMddHH>` family plus a few streams with stuck messages;
 *  - "1,000 streams": 1,000 streams of 150 entries, each with a group holding 10 stuck messages,
 *    half with a TTL, rules reassign + trim.
 * For each: the first tick (does the work), then the rescuer acks what it was given, then the
 * next tick ("after acks": trims what the acks freed), the next ("settling": looks again at what
 * the last tick changed, finds nothing to do), then a steady tick (nothing changed since, nothing
 * due: the figure the worker's cost is held to, per stream).
 */
import { createRequire } from "node:module";
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";

// lib/ modules import "server-only", which throws outside Next's react-server build: stand it in.
const localRequire = createRequire(__filename);
const serverOnly = localRequire.resolve("server-only");
localRequire.cache[serverOnly] = { id: serverOnly, filename: serverOnly, loaded: true, exports: {} } as never;

export interface TickCost {
  scenario: string;
  tick: "first" | "after acks" | "settling" | "steady";
  commands: number;
  /** Streams in the scenario, and commands per stream. */
  streams: number;
  perStream: number;
  /** The busiest commands of the tick. */
  top: [string, number][];
  durationMs: number;
  jobs: Record<string, { durationMs: number; counts: Record<string, number> }>;
}

async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info("commandstats");
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function delta(before: Map<string, number>, after: Map<string, number>): { total: number; top: [string, number][] } {
  const diff: [string, number][] = [];
  for (const [name, calls] of after) {
    const d = calls - (before.get(name) ?? 0);
    if (d > 0 && name !== "info") diff.push([name, d]);
  }
  diff.sort((a, b) => b[1] - a[1]);
  return { total: diff.reduce((s, [, n]) => s + n, 0), top: diff.slice(0, 6) };
}

async function seedStuck(redis: Redis, key: string, entries: number, stuck: number, ttlMs?: number) {
  const pipe = redis.pipeline();
  for (let i = 0; i < entries; i++) pipe.xadd(key, "*", "order", String(i), "payload", "x".repeat(64));
  pipe.xgroup("CREATE", key, "g", "0");
  pipe.xreadgroup("GROUP", "g", "crashed", "COUNT", entries, "STREAMS", key, ">");
  // Acked all but the last `stuck`, so trim has something to do and reclaim too.
  if (ttlMs) pipe.pexpire(key, ttlMs);
  await pipe.exec();
  const ids = ((await redis.xrange(key, "-", "+", "COUNT", entries - stuck)) as [string, string[]][]).map(([id]) => id);
  if (ids.length) await redis.xack(key, "g", ...ids);
}

/** The consumers catch up: every pending message of every stream is acked (not measured). */
async function ackEverything(redis: Redis) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", "*", "COUNT", 1000, "TYPE", "stream");
    cursor = next;
    for (const key of keys) {
      const pending = (await redis.call("XPENDING", key, "g", "-", "+", 1000).catch(() => [])) as [string][];
      if (pending.length) await redis.xack(key, "g", ...pending.map(([id]) => id));
    }
  } while (cursor !== "0");
}

export async function runWorkerBench(): Promise<TickCost[]> {
  const server = await startRedisServer();
  process.env.REDIS_URL = server.url;
  process.env.STREAMSCOPE_PREFIX = "streamscope:";
  process.env.LOG_LEVEL = "silent";
  const { tick } = await import("../lib/worker/tick");
  const { configFileSchema } = await import("../lib/contract/config");
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  const probe = new Redis(server.url, { maxRetriesPerRequest: 1 });
  const results: TickCost[] = [];
  try {
    const scenarios: { name: string; streams: number; seed: () => Promise<void>; config: unknown }[] = [
      {
        name: "demo",
        streams: 7,
        config: {
          families: [
            { name: "orders", pattern: "orders_<yyyyMMddHH>", groups: ["consumer_group"], ttlSeconds: 7200, ahead: 1 },
          ],
          groups: [{ stream: "*", stuckAfterMs: 1000, policy: "reassign", reassignTo: "rescuer", trim: true }],
        },
        seed: async () => {
          for (let i = 0; i < 5; i++)
            await seedStuck(redis, `demo:stream:${i}`, 200, 10, i % 2 ? 3_600_000 : undefined);
        },
      },
      {
        name: "1,000 streams",
        streams: 1000,
        config: {
          groups: [{ stream: "*", stuckAfterMs: 1000, policy: "reassign", reassignTo: "rescuer", trim: true }],
          worker: { reclaimBatch: 10_000 },
        },
        seed: async () => {
          for (let i = 0; i < 1000; i++)
            await seedStuck(redis, `bench:stream:${i}`, 150, 10, i % 2 ? 3_600_000 : undefined);
        },
      },
    ];
    for (const s of scenarios) {
      await redis.flushall();
      await s.seed();
      await new Promise((r) => setTimeout(r, 1100));
      const { auth: _auth, ...settings } = configFileSchema.parse(s.config);
      void _auth;
      for (const which of ["first", "after acks", "settling", "steady"] as const) {
        const before = await commandCalls(probe);
        const result = await tick({ redis, forced: true, settings, record: false });
        const after = await commandCalls(probe);
        if (which === "first") await ackEverything(probe);
        const d = delta(before, after);
        results.push({
          scenario: s.name,
          tick: which,
          commands: d.total,
          streams: s.streams,
          perStream: Math.round((d.total / s.streams) * 10) / 10,
          top: d.top,
          durationMs: Math.round(result.durationMs),
          jobs: Object.fromEntries(
            result.jobs.map((j) => [j.name, { durationMs: Math.round(j.durationMs), counts: j.counts }]),
          ),
        });
      }
    }
  } finally {
    redis.disconnect();
    probe.disconnect();
    await server.stop();
  }
  printTickCosts(results);
  return results;
}

function printTickCosts(results: readonly TickCost[]): void {
  for (const r of results) {
    console.log(
      `\n${r.scenario}, ${r.tick} tick: ${r.commands} Redis commands (${r.perStream} per stream), ${r.durationMs} ms`,
    );
    console.log(`  busiest: ${r.top.map(([n, c]) => `${n} ${c}`).join(", ")}`);
    for (const [name, j] of Object.entries(r.jobs)) {
      const counts = Object.entries(j.counts)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      console.log(`  ${name.padEnd(13)} ${String(j.durationMs).padStart(5)} ms  ${counts}`);
    }
  }
}

if (require.main === module) {
  runWorkerBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
