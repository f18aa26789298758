/**
 * `npm test`: the whole suite, as CI runs it. Lint, typecheck, unit and integration tests
 * against a real redis-server, a production build, then the browser tests in Chromium.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { ensureSystemDeps } from "./lib/system-deps";
import { addCounts, countsLine, playwrightCounts, SUMMARY_FILE, vitestCounts } from "./lib/test-counts";

ensureSystemDeps(["redis", "chromium"]);
mkdirSync(".tmp", { recursive: true });
rmSync(SUMMARY_FILE, { force: true });

const bin = (name: string) => `node_modules/.bin/${name}`;
const steps: Array<{ name: string; cmd: string; args: string[]; env?: Record<string, string> }> = [
  { name: "lint", cmd: bin("eslint"), args: [".", "--max-warnings=0"] },
  { name: "format (prettier --check)", cmd: bin("prettier"), args: ["--check", "--log-level=warn", "."] },
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
  console.log(
    `=== ${step.name}: ${res.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (res.status !== 0) {
    failedStep = step.name;
    break;
  }
}

const c = addCounts(vitestCounts(".tmp/vitest.json"), playwrightCounts(".tmp/playwright.json"));
if (failedStep) c.failed = Math.max(c.failed, 1);
writeFileSync(SUMMARY_FILE, JSON.stringify({ ...c, failedStep }));
if (failedStep) {
  console.error(`\nnpm test failed at step: ${failedStep}`);
  console.log(countsLine(c));
  process.exit(1);
}
console.log(`\n${countsLine(c)}`);
