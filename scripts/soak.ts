/**
 * `npm run soak -- --minutes N` (default 30): the demo workload (simulator), the built app with the
 * worker on, and ten polling clients (each fetching the overview and a group page every second),
 * all on a private redis-server. Samples every minute the app's RSS, Redis `used_memory`, the
 * memory of the app's own keys, the history store and the audit trail, then prints a start/end
 * table and whether each figure is flat (end within 1.2x of its value at minute 11, once the
 * 10-minute history has filled; half-way in a shorter run) or bounded (under its cap). Not part of
 * the tests.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Redis from "ioredis";
import { ensureBuilt, startApp } from "../bench/lib";
import { DEMO_CONFIG } from "./lib/demo-config";
import { startRedisServer } from "./lib/redis-server";
import { startSimulator } from "./lib/simulator";

const PREFIX = "streamscope:";
const CLIENTS = 10;
const WORKER_INTERVAL_MS = 5000;
const HISTORY = { sampleEveryMs: 10_000, retentionMs: 10 * 60_000 };
const AUDIT_MAXLEN = 1000;
/** A figure is "flat" when its end value is within this factor of its value at the reference minute. */
const FLAT_FACTOR = 1.2;

interface Sample {
  minute: number;
  rssMiB: number;
  redisMiB: number;
  appKeysKiB: number;
  historyKeys: number;
  historyEntries: number;
  auditEntries: number;
  demoEntries: number;
  requests: number;
  errors: number;
}

/** The pid and every descendant (next start may run its server in a child). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim();
      for (const c of children ? children.split(/\s+/) : []) out.push(...processTree(Number(c)));
    }
  } catch {
    /* gone */
  }
  return out;
}

function rssKiB(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      total += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return total;
}

async function scanKeys(redis: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", match, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

async function sumXlen(redis: Redis, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const pipe = redis.pipeline();
  for (const k of keys) pipe.type(k);
  const types = ((await pipe.exec()) ?? []).map(([, t]) => t);
  const streams = keys.filter((_, i) => types[i] === "stream");
  const lens = await Promise.all(streams.map((k) => redis.xlen(k)));
  return lens.reduce((a, b) => a + b, 0);
}

async function appKeysBytes(redis: Redis): Promise<number> {
  const keys = await scanKeys(redis, `${PREFIX}*`);
  if (keys.length === 0) return 0;
  const pipe = redis.pipeline();
  for (const k of keys) pipe.memory("USAGE", k);
  return ((await pipe.exec()) ?? []).reduce((n, [, v]) => n + (Number(v) || 0), 0);
}

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

async function main() {
  const { values } = parseArgs({ options: { minutes: { type: "string", default: "30" } } });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes < 1) throw new Error("--minutes must be a number >= 1");

  ensureBuilt();
  const redis = await startRedisServer();
  const configDir = mkdtempSync(join(tmpdir(), "streamscope-soak-"));
  const configPath = join(configDir, "streamscope.config.json");
  writeFileSync(configPath, JSON.stringify({ ...DEMO_CONFIG, history: HISTORY }, null, 2));
  const simulator = await startSimulator({ redisUrl: redis.url });
  const app = await startApp(redis.url, {
    env: {
      READ_CACHE_MS: "1000",
      WORKER: "on",
      WORKER_INTERVAL_MS: String(WORKER_INTERVAL_MS),
      STREAMSCOPE_CONFIG: configPath,
      STREAMSCOPE_PREFIX: PREFIX,
      AUDIT_MAXLEN: String(AUDIT_MAXLEN),
    },
  });
  const pid = app.process.pid!;
  const admin = new Redis(redis.url, { lazyConnect: false });
  console.log(
    `soak: ${minutes} min, app pid ${pid} on ${app.url}, redis pid ${redis.pid} on ${redis.url}, ${CLIENTS} clients, ` +
      `worker every ${WORKER_INTERVAL_MS} ms, history retention ${HISTORY.retentionMs / 60_000} min, audit cap ${AUDIT_MAXLEN}`,
  );

  let requests = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let running = true;
  const get = async (path: string) => {
    requests++;
    try {
      // Node's fetch keeps connections alive by default.
      const res = await fetch(`${app.url}${path}`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    } catch (err) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push((err as Error).message);
    }
  };
  const client = async (i: number) => {
    await new Promise((r) => setTimeout(r, (i * 1000) / CLIENTS));
    while (running) {
      const t0 = Date.now();
      await Promise.all([get("/api/streams?count=100"), get("/api/overview")]);
      await Promise.all([
        get("/api/streams/payments/groups/ledger"),
        get("/api/streams/payments/groups/ledger/pending?count=100"),
      ]);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));

  const sample = async (minute: number): Promise<Sample> => {
    const historyKeys = await scanKeys(admin, `${PREFIX}history:*`);
    const demoKeys = (await scanKeys(admin, "*")).filter((k) => !k.startsWith(PREFIX));
    return {
      minute,
      rssMiB: rssKiB(pid) / 1024,
      redisMiB: usedMemory(await admin.info("memory")) / 1024 / 1024,
      appKeysKiB: (await appKeysBytes(admin)) / 1024,
      historyKeys: historyKeys.length,
      historyEntries: await sumXlen(admin, historyKeys),
      auditEntries: (await admin.xlen(`${PREFIX}audit`)) + (await admin.xlen(`${PREFIX}audit:anonymous`)),
      demoEntries: await sumXlen(admin, demoKeys),
      requests,
      errors,
    };
  };
  const samples: Sample[] = [];
  const header =
    "min  app RSS MiB  redis MiB  app keys KiB  history keys/entries  audit  demo entries  requests  errors";
  const row = (s: Sample) =>
    [
      String(s.minute).padStart(3),
      fmt(s.rssMiB).padStart(11),
      fmt(s.redisMiB, 2).padStart(10),
      fmt(s.appKeysKiB).padStart(13),
      `${s.historyKeys}/${s.historyEntries}`.padStart(21),
      String(s.auditEntries).padStart(6),
      String(s.demoEntries).padStart(13),
      String(s.requests).padStart(9),
      String(s.errors).padStart(7),
    ].join(" ");
  console.log(header);
  let stopping = false;
  const finish = async (code: number) => {
    if (stopping) return;
    stopping = true;
    running = false;
    await Promise.race([Promise.allSettled(clients), new Promise((r) => setTimeout(r, 5000))]);
    admin.disconnect();
    await app.stop();
    await simulator.stop();
    await redis.stop();
    rmSync(configDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGINT", () => void finish(130));
  process.on("SIGTERM", () => void finish(143));

  const started = Date.now();
  for (let minute = 0; minute <= minutes; minute++) {
    await new Promise((r) => setTimeout(r, Math.max(0, started + minute * 60_000 - Date.now())));
    const s = await sample(minute);
    samples.push(s);
    console.log(row(s));
  }

  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  // The reference minute: once the history has filled its retention (it grows until then).
  const refMinute = Math.min(Math.max(5, HISTORY.retentionMs / 60_000 + 1), Math.floor(minutes / 2));
  const ref = samples[refMinute]!;
  // Every series keeps at most retention / sample interval samples (plus the one just written).
  const historyCap = last.historyKeys * (HISTORY.retentionMs / HISTORY.sampleEveryMs + 1);
  const verdict = (end: number, at: number, cap?: number) => {
    if (cap !== undefined && end <= cap) return `bounded (cap ${cap})`;
    if (end <= at * FLAT_FACTOR) return `flat (end ${(end / Math.max(at, 1e-9)).toFixed(2)}x minute ${refMinute})`;
    return `GROWING (end ${(end / Math.max(at, 1e-9)).toFixed(2)}x minute ${refMinute})`;
  };
  const lines: [string, number, number, number, string][] = [
    ["app RSS (MiB)", first.rssMiB, ref.rssMiB, last.rssMiB, verdict(last.rssMiB, ref.rssMiB)],
    ["Redis used_memory (MiB)", first.redisMiB, ref.redisMiB, last.redisMiB, verdict(last.redisMiB, ref.redisMiB)],
    [
      "app's own keys (KiB)",
      first.appKeysKiB,
      ref.appKeysKiB,
      last.appKeysKiB,
      verdict(last.appKeysKiB, ref.appKeysKiB),
    ],
    [
      "history entries",
      first.historyEntries,
      ref.historyEntries,
      last.historyEntries,
      verdict(last.historyEntries, ref.historyEntries, historyCap),
    ],
    [
      "audit entries",
      first.auditEntries,
      ref.auditEntries,
      last.auditEntries,
      verdict(last.auditEntries, ref.auditEntries, AUDIT_MAXLEN + AUDIT_MAXLEN / 10 + 200),
    ],
    ["demo stream entries", first.demoEntries, ref.demoEntries, last.demoEntries, "(the simulator's data)"],
  ];
  console.log(`\nsoak summary (${minutes} min, ${last.requests} requests, ${last.errors} errors)`);
  console.log(
    `${"figure".padEnd(24)} ${"start".padStart(10)} ${`min ${refMinute}`.padStart(10)} ${"end".padStart(10)}  verdict`,
  );
  for (const [name, a, b, c, v] of lines)
    console.log(
      `${name.padEnd(24)} ${fmt(a, 2).padStart(10)} ${fmt(b, 2).padStart(10)} ${fmt(c, 2).padStart(10)}  ${v}`,
    );
  if (errorSamples.length > 0) console.log(`first errors: ${errorSamples.join("; ")}`);
  await finish(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
