/**
 * `npm run bench`: runs every benchmark module that exists (overview, cluster, stream, pending, worker, metrics, load, producer, scroll).
 * Each module exports a `run<Name>Bench()` function; missing modules are skipped.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureSystemDeps } from "../scripts/lib/system-deps";

const BENCHES = [
  "overview",
  "cluster",
  "stream",
  "pending",
  "worker",
  "metrics",
  "load",
  "producer",
  "scroll",
] as const;

async function main() {
  ensureSystemDeps(["redis"]);
  let failed = false;
  for (const name of BENCHES) {
    const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
    if (!existsSync(file)) {
      console.log(`(no bench/${name}.ts: skipped)`);
      continue;
    }
    const mod = (await import(`./${name}`)) as Record<string, unknown>;
    const run = Object.entries(mod).find(([k, v]) => /^run\w*Bench$/.test(k) && typeof v === "function")?.[1] as
      (() => Promise<unknown>) | undefined;
    if (!run) {
      console.log(`bench/${name}.ts exports no run...Bench function: skipped`);
      continue;
    }
    try {
      await run();
    } catch (err) {
      failed = true;
      console.error(`bench ${name} failed:`, err);
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();
