/** Helpers shared by the benchmarks: the built app on a free port, timing, medians. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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
}

/** `next start` on a free loopback port against `redisUrl`; resolves once /api/health answers 200. */
export async function startApp(redisUrl: string, opts: StartAppOptions = {}): Promise<RunningApp> {
  const port = opts.port ?? (await freePort());
  const nodeCommand = [
    process.execPath,
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

/**
 * Times two variants alternately (a, b, a, b, ...) after one warm-up of each, so that both see the
 * same machine load even when it drifts; medians of `runs` each.
 */
export async function interleavedMedians(
  runs: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<{ a: { medianMs: number; runsMs: number[] }; b: { medianMs: number; runsMs: number[] } }> {
  await a();
  await b();
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ra.push(await timeMs(a));
    rb.push(await timeMs(b));
  }
  return { a: { medianMs: median(ra), runsMs: ra }, b: { medianMs: median(rb), runsMs: rb } };
}

export const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;

/** True when this module is the script tsx was asked to run. */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const strip = (p: string) => p.replace(/\.ts$/, "");
  return strip(fileURLToPath(metaUrl)) === strip(resolve(entry));
}
