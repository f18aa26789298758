/**
 * `npm run test:servers -- <binary or folder>... [--with-main] [-- <vitest filters>]`: the
 * integration tests once per server binary (STREAMSCOPE_TEST_REDIS_BIN), then one summary line per
 * server and a last `N passed, N failed, N skipped` line. A folder stands for every
 * `redis-server`/`valkey-server` in it or in its subfolders (one level). `--with-main` adds the
 * counts `npm test` left in .tmp/test-summary.json to the last line (CI). Unit tests do not talk
 * to a server, so the default filter is tests/integration.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { addCounts, countsLine, SUMMARY_FILE, vitestCounts, type Counts } from "./lib/test-counts";

const SERVER_NAMES = ["redis-server", "valkey-server"];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function serversIn(dir: string): string[] {
  const direct = SERVER_NAMES.map((n) => join(dir, n)).filter(executable);
  const nested = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => SERVER_NAMES.map((n) => join(dir, d.name, n)).filter(executable));
  return [...direct, ...nested];
}

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run test:servers -- <server binary or folder>... [--with-main] [-- <vitest filters>]`,
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
const dashes = argv.indexOf("--");
const own = dashes >= 0 ? argv.slice(0, dashes) : argv;
const filters = dashes >= 0 ? argv.slice(dashes + 1) : [];
const withMain = own.includes("--with-main");
const binaries = own
  .filter((a) => a !== "--with-main")
  .flatMap((a) => {
    if (!existsSync(a)) usage(`${a}: no such file or folder`);
    if (statSync(a).isDirectory()) return serversIn(a);
    if (!executable(a)) usage(`${a}: not an executable file`);
    return [a];
  })
  .map((b) => resolve(b));
if (binaries.length === 0) usage("no server binary given or found");

/** What the binary says it is (`Redis server v=7.2.6 ...` → `Redis 7.2.6`). */
function serverVersion(bin: string): string {
  const out = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout ?? "";
  const m = /^(\w+) server v=(\S+)/.exec(out.trim());
  return m ? `${m[1]} ${m[2]}` : "unknown";
}

/** `redis-7.2/redis-server` for a binary in a version folder, the path otherwise. */
function label(bin: string): string {
  return `${basename(dirname(bin))}/${basename(bin)}`;
}

interface Run {
  bin: string;
  version: string;
  seconds: number;
  counts: Counts;
  crashed: boolean;
}

mkdirSync(".tmp", { recursive: true });
const runs: Run[] = [];
for (const bin of binaries) {
  const version = serverVersion(bin);
  const name = label(bin);
  const report = `.tmp/vitest-${name.replace(/[^\w.-]+/g, "_")}.json`;
  rmSync(report, { force: true });
  console.log(`\n=== integration against ${name} (${version}) ===`);
  const started = Date.now();
  const res = spawnSync(
    "node_modules/.bin/vitest",
    [
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
      ...(filters.length ? filters : ["tests/integration"]),
    ],
    { stdio: "inherit", env: { ...process.env, STREAMSCOPE_TEST_REDIS_BIN: bin } },
  );
  const seconds = (Date.now() - started) / 1000;
  const counts = vitestCounts(report) ?? { passed: 0, failed: 0, skipped: 0 };
  // A run that failed without a failing test (the server did not start, a crash) still counts as one failure.
  const crashed = res.status !== 0 && counts.failed === 0;
  if (crashed) counts.failed = 1;
  console.log(`=== integration against ${name}: ${res.status === 0 ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s`);
  runs.push({ bin, version, seconds, counts, crashed });
}

const pad = (s: string, n: number) => s.padEnd(n);
const nameWidth = Math.max(6, ...runs.map((r) => label(r.bin).length)) + 2;
console.log("\n=== server matrix (integration tests per server binary) ===");
console.log(
  `${pad("server", nameWidth)}${pad("version", 16)}${pad("wall time", 12)}${pad("passed", 8)}${pad("failed", 8)}skipped`,
);
for (const r of runs) {
  console.log(
    `${pad(label(r.bin), nameWidth)}${pad(r.version, 16)}${pad(`${r.seconds.toFixed(1)} s`, 12)}${pad(String(r.counts.passed), 8)}${pad(String(r.counts.failed), 8)}${r.counts.skipped}${r.crashed ? "  (vitest failed before reporting a failing test)" : ""}`,
  );
}

let main: Counts | null = null;
if (withMain) {
  if (existsSync(SUMMARY_FILE)) {
    main = JSON.parse(readFileSync(SUMMARY_FILE, "utf8")) as Counts;
    console.log(`npm test (system redis-server): ${countsLine(main)}`);
  } else {
    console.log(`npm test left no ${SUMMARY_FILE}: counted as one failure`);
    main = { passed: 0, failed: 1, skipped: 0 };
  }
}
const total = addCounts(main, ...runs.map((r) => r.counts));
console.log(`\n${countsLine(total)}`);
process.exit(total.failed > 0 ? 1 : 0);
