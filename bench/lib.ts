/**
 * Helpers shared by the benchmarks: the built app on a free port, timing, medians, the overview's
 * seed data and the minimal script the overview is measured against.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type Redis from "ioredis";
import { APP_NODE_FLAGS } from "../scripts/lib/app-node-flags.mjs";
import { freePort } from "../scripts/lib/redis-server";

const require = createRequire(import.meta.url);

export interface RunningApp {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Builds the app when `.next` has no build yet (needs no Redis and no env). */
export function ensureBuilt(root = process.cwd()): void {
  if (existsSync(join(root, ".next", "BUILD_ID"))) return;
  console.log("no build found: running `next build` (a few minutes)...");
  const res = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
  });
  if (res.status !== 0) throw new Error("next build failed");
}

export interface StartAppOptions {
  /** Added to (and overriding) the app's environment, e.g. `{WORKER: "on"}`. */
  env?: Record<string, string>;
  /** Flags for the app's node process, e.g. `["--cpu-prof", "--cpu-prof-dir=..."]`. */
  nodeArgs?: string[];
  /** Pins the app to these CPUs with `taskset -c <cpus>` (Linux). */
  cpus?: string;
  /** A fixed port instead of a free one. */
  port?: number;
  /** App processes on the one port (`npm start` with STREAMSCOPE_PROCESSES); default 1, plain `next start`. */
  processes?: number;
}

/** `next start` on a free loopback port against `redisUrl`; resolves once /api/health answers 200. */
export async function startApp(redisUrl: string, opts: StartAppOptions = {}): Promise<RunningApp> {
  const port = opts.port ?? (await freePort());
  const processes = opts.processes ?? 1;
  // Node flags reach the app processes through NODE_OPTIONS when scripts/start.mjs forks them.
  const nodeCommand =
    processes > 1
      ? [process.execPath, fileURLToPath(new URL("../scripts/start.mjs", import.meta.url))]
      : [
          process.execPath,
          ...APP_NODE_FLAGS,
          ...(opts.nodeArgs ?? []),
          require.resolve("next/dist/bin/next"),
          "start",
          "-p",
          String(port),
          "-H",
          "127.0.0.1",
        ];
  // taskset execs the command, so the child's pid is the app's.
  const [command, ...args] = opts.cpus ? ["taskset", "-c", opts.cpus, ...nodeCommand] : nodeCommand;
  const child = spawn(command!, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      WORKER: "off",
      // READ_CACHE_MS=0: each timed request computes its answer (repeated reads would otherwise be shared).
      READ_CACHE_MS: "0",
      NODE_ENV: "production",
      PORT: String(port),
      STREAMSCOPE_HOST: "127.0.0.1",
      STREAMSCOPE_PROCESSES: String(processes),
      ...(processes > 1 && opts.nodeArgs?.length ? { NODE_OPTIONS: opts.nodeArgs.join(" ") } : {}),
      NEXT_TELEMETRY_DISABLED: "1",
      ...opts.env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error("next start exited before answering");
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("next start did not answer /api/health within 120 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    process: child,
    async stop() {
      if (exited) return;
      const done = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One warm-up run, then `runs` timed runs; the median in ms. */
export async function medianOf(
  runs: number,
  fn: () => Promise<unknown>,
): Promise<{ medianMs: number; runsMs: number[] }> {
  await fn();
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push(await timeMs(fn));
  return { medianMs: median(runsMs), runsMs };
}

/** Two variants timed alternately: each one's runs and median, and the ratio a/b. */
export interface Interleaved {
  a: { medianMs: number; runsMs: number[] };
  b: { medianMs: number; runsMs: number[] };
  /**
   * The median of the rounds' own ratios (a's run over the b run right after it): the load of these
   * shared machines drifts within seconds, and a pair taken back to back sees nearly the same load,
   * so this moves less from one bench run to the next than the ratio of the two medians.
   */
  pairedRatio: number;
}

/**
 * Times two variants alternately (a, b, a, b, ...) after one warm-up of each, so that both see the
 * same machine load even when it drifts; medians of `runs` each, and the median of the rounds' ratios.
 */
export async function interleavedMedians(
  runs: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<Interleaved> {
  await a();
  await b();
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ra.push(await timeMs(a));
    rb.push(await timeMs(b));
  }
  return {
    a: { medianMs: median(ra), runsMs: ra },
    b: { medianMs: median(rb), runsMs: rb },
    pairedRatio: median(ra.map((ms, i) => ms / rb[i]!)),
  };
}

export const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;

/** True when this module is the script tsx was asked to run. */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const strip = (p: string) => p.replace(/\.ts$/, "");
  return strip(fileURLToPath(metaUrl)) === strip(resolve(entry));
}

/** The overview benchmarks' stream names: one in five looks like a member of an hourly family. */
export function benchStreamKey(i: number): string {
  return i % 5 === 0 ? `bench:orders_20261125${String(i % 24).padStart(2, "0")}:${i}` : `bench:stream:${i}`;
}

/**
 * `count` small streams (3 entries of ~60 bytes, an hour old) with 2 groups each; a third have 2
 * messages pending in g1, a seventh 1 in g2. `nodeOf` names the server of a key (one server, or a
 * cluster's master of its slot); each batch is one pipeline per server.
 */
export async function seedOverviewStreams(nodeOf: (key: string) => Redis, count: number, from = 0): Promise<void> {
  const base = Date.now() - 3_600_000;
  for (let start = from; start < from + count; start += 500) {
    const pipes = new Map<Redis, ReturnType<Redis["pipeline"]>>();
    for (let i = start; i < Math.min(from + count, start + 500); i++) {
      const key = benchStreamKey(i);
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

/*
 * The minimal script the overview is measured against: the same SCAN and pipelined commands the
 * API issues, straight to each server (every master of a cluster), with nothing else around them:
 * no HTTP, no JSON rows.
 */

/** Keys per SCAN page of the minimal script (and rows per page of the API it is compared with). */
export const MINIMAL_PAGE_COUNT = 1000;
/** The stuck threshold the minimal script's tiles count with (the app's default). */
const MINIMAL_STUCK_MS = 30_000;

type PendingGroups = { key: string; name: string; pending: number }[];

function pendingGroupsOf(key: string, reply: unknown): PendingGroups {
  const out: PendingGroups = [];
  for (const g of (reply as unknown[][]) ?? []) {
    const rec: Record<string, unknown> = {};
    for (let i = 0; i + 1 < g.length; i += 2) rec[String(g[i])] = g[i + 1];
    const pending = Number(rec.pending);
    if (pending > 0) out.push({ key, name: String(rec.name), pending });
  }
  return out;
}

async function scanStreams(node: Redis, cursor: string, count: number): Promise<[string, string[]]> {
  return (await node.call("SCAN", cursor, "MATCH", "*", "COUNT", count, "TYPE", "stream")) as [string, string[]];
}

/**
 * The stream list: each server's SCAN pages in turn, each page's rows in one pipeline (XINFO
 * STREAM, XINFO GROUPS, PTTL, MEMORY USAGE), then `XPENDING - + 1` per group with pending messages.
 * Returns the rows listed.
 */
export async function minimalList(nodes: readonly Redis[], count = MINIMAL_PAGE_COUNT): Promise<number> {
  let rows = 0;
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await scanStreams(node, cursor, count);
      cursor = next;
      const pipe = node.pipeline();
      for (const key of keys) {
        pipe.call("XINFO", "STREAM", key);
        pipe.call("XINFO", "GROUPS", key);
        pipe.pttl(key);
        pipe.call("MEMORY", "USAGE", key);
      }
      const res = (await pipe.exec()) ?? [];
      const pending = keys.flatMap((key, i) => pendingGroupsOf(key, res[i * 4 + 1]?.[1]));
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

/**
 * The summary tiles, every server side by side: all stream keys by SCAN, XINFO GROUPS of each,
 * then per group with pending messages its oldest (`- + 1`) and its PEL range old enough to be stuck.
 */
export async function minimalSummary(nodes: readonly Redis[], count = MINIMAL_PAGE_COUNT): Promise<void> {
  const [sec, micro] = await nodes[0]!.time();
  const now = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  await Promise.all(
    nodes.map(async (node) => {
      const keys: string[] = [];
      let cursor = "0";
      do {
        const [next, page] = await scanStreams(node, cursor, count);
        keys.push(...page);
        cursor = next;
      } while (cursor !== "0");
      const pipe = node.pipeline();
      for (const key of keys) pipe.call("XINFO", "GROUPS", key);
      const res = (await pipe.exec()) ?? [];
      const pending = keys.flatMap((key, i) => pendingGroupsOf(key, res[i]?.[1]));
      const p2 = node.pipeline();
      for (const g of pending) {
        p2.call("XPENDING", g.key, g.name, "-", "+", "1");
        const end = `${now - MINIMAL_STUCK_MS}-18446744073709551615`;
        p2.call("XPENDING", g.key, g.name, "-", end, Math.min(g.pending, 1000));
      }
      await p2.exec();
    }),
  );
}

/** The whole overview by the minimal script: the list, then the tiles. Returns the rows listed. */
export async function minimalOverview(nodes: readonly Redis[], count = MINIMAL_PAGE_COUNT): Promise<number> {
  const rows = await minimalList(nodes, count);
  await minimalSummary(nodes, count);
  return rows;
}

/**
 * CPU seconds (user + sys) of a process and all its descendants (the app processes under
 * scripts/start.mjs), from /proc (Linux; 0 elsewhere). Clock ticks of 1/100 s.
 */
export function processTreeCpuSec(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
    return own + children.reduce((sum, child) => sum + processTreeCpuSec(child), 0);
  } catch {
    return 0;
  }
}

/**
 * What the overview page polls (components/overview: the first block of the stream index, 200
 * rows, and the tiles). The benchmarks that stand in for dashboards ask exactly this.
 */
export const OVERVIEW_PAGE_PATHS = ["/api/streams?offset=0&count=200", "/api/overview"] as const;
