// `npm start`: serves the built app on PORT (default 3000) and STREAMSCOPE_HOST (default 127.0.0.1;
// see scripts/lib/listen-host.mjs for HOSTNAME). Without auth configured it serves loopback only
// (see docs/security.md). STREAMSCOPE_PROCESSES=N (or `auto`: one per CPU) runs N app processes
// on the one port (node:cluster hands each new connection to the next process): one Node
// process runs its JavaScript on one core only.
import { spawn } from "node:child_process";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { APP_NODE_FLAGS } from "./lib/app-node-flags.mjs";
import { listenHost } from "./lib/listen-host.mjs";

const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");
const port = process.env.PORT || "3000";
const hostname = listenHost(process.env);

function authConfigured() {
  const path = resolve(process.env.STREAMSCOPE_CONFIG || "./streamscope.config.json");
  if (!existsSync(path)) return false;
  let auth;
  try {
    auth = JSON.parse(readFileSync(path, "utf8")).auth;
  } catch {
    return false; // the app itself reports the broken file at start
  }
  if (!auth || typeof auth !== "object") return false;
  return (
    (Array.isArray(auth.users) && auth.users.length > 0) ||
    (Array.isArray(auth.tokens) && auth.tokens.length > 0) ||
    !!auth.oidc ||
    !!auth.trustedProxy
  );
}

function isLoopback(host) {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

if (!isLoopback(hostname) && !authConfigured()) {
  console.error(
    `Refusing to listen on ${hostname} without login. Configure auth in the config file (STREAMSCOPE_CONFIG): ` +
      "auth.users (passwords hashed with `npm run hash-secret -- <password>`), auth.tokens, auth.oidc or auth.trustedProxy; " +
      "or listen on 127.0.0.1 (STREAMSCOPE_HOST=127.0.0.1). See docs/security.md.",
  );
  process.exit(1);
}

function processCount(value) {
  if (!value) return 1;
  if (value === "auto") return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    console.error(`STREAMSCOPE_PROCESSES must be a whole number from 1 to 64, or auto (got "${value}")`);
    process.exit(1);
  }
  return n;
}

const nextArgs = ["start", "-p", port, "-H", hostname];
const processes = processCount(process.env.STREAMSCOPE_PROCESSES);

if (processes === 1) {
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, nextBin, ...nextArgs], {
    stdio: "inherit",
    env: process.env,
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  runProcesses(processes);
}

/** N `next start` processes sharing the port; one that dies is started again, unless they keep dying at start. */
function runProcesses(n) {
  cluster.setupPrimary({ exec: nextBin, args: nextArgs, execArgv: [...process.execArgv, ...APP_NODE_FLAGS] });
  let stopping = false;
  let failed = false;
  let quickDeaths = 0;
  const live = new Set();
  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    const startedAt = Date.now();
    worker.on("exit", (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) process.exit(failed ? 1 : 0);
        return;
      }
      quickDeaths = Date.now() - startedAt < 10_000 ? quickDeaths + 1 : 0;
      console.error(`app process ${worker.process.pid} ended (${signal ?? `code ${code}`})`);
      if (quickDeaths >= 5) {
        console.error("app processes keep ending at start: stopping");
        failed = true;
        stopAll("SIGTERM");
        return;
      }
      setTimeout(fork, 1000);
    });
  };
  const stopAll = (sig) => {
    stopping = true;
    if (live.size === 0) process.exit(failed ? 1 : 0);
    for (const w of live) w.process.kill(sig);
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stopAll(sig));
  console.log(`starting ${n} app processes on port ${port}`);
  for (let i = 0; i < n; i++) fork();
}
