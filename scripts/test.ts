/**
 * `npm test`: the whole suite, as CI runs it. Lint, typecheck, unit and integration tests
 * against a real redis-server, a production build, then the browser tests in Chromium.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { ensureSystemDeps } from "./lib/system-deps";

ensureSystemDeps(["redis", "chromium"]);
mkdirSync(".tmp", { recursive: true });

const bin = (name: string) => `node_modules/.bin/${name}`;
const steps: Array<{ name: string; cmd: string; args: string[]; env?: Record<string, string> }> = [
  { name: "lint", cmd: bin("eslint"), args: [".", "--max-warnings=0"] },
  { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit"] },
  {
    name: "unit + integration (vitest)",
    cmd: bin("vitest"),
    args: ["run", "--reporter=default", "--reporter=json", "--outputFile.json=.tmp/vitest.json"],
  },
  { name: "build", cmd: bin("next"), args: ["build"], env: { NEXT_TELEMETRY_DISABLED: "1" } },
  { name: "browser (playwright)", cmd: bin("playwright"), args: ["test"] },
];

const only = process.argv[2];
let failedStep: string | null = null;
for (const step of steps) {
  if (only && !step.name.startsWith(only)) continue;
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const res = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  console.log(`=== ${step.name}: ${res.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (res.status !== 0) {
    failedStep = step.name;
    break;
  }
}

function counts(): { passed: number; failed: number; skipped: number } {
  const total = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(".tmp/vitest.json")) {
    const v = JSON.parse(readFileSync(".tmp/vitest.json", "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    total.passed += v.numPassedTests;
    total.failed += v.numFailedTests;
    total.skipped += v.numPendingTests + v.numTodoTests;
  }
  if (existsSync(".tmp/playwright.json")) {
    const p = JSON.parse(readFileSync(".tmp/playwright.json", "utf8")) as {
      stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    };
    total.passed += p.stats.expected + p.stats.flaky;
    total.failed += p.stats.unexpected;
    total.skipped += p.stats.skipped;
  }
  return total;
}

const c = counts();
if (failedStep) {
  console.error(`\nnpm test failed at step: ${failedStep}`);
  console.log(`${c.passed} passed, ${Math.max(c.failed, 1)} failed, ${c.skipped} skipped`);
  process.exit(1);
}
console.log(`\n${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
