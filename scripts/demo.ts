/**
 * `npm run demo`: a live dashboard in one command. Starts a private redis-server (unless
 * REDIS_URL is set), the demo simulator, the worker with a demo config, and the built app.
 * Ctrl-C stops everything it started.
 *
 * `npm run demo -- --cluster`: a private Redis Cluster instead (3 masters, 1 replica each, on
 * loopback ports that leave port + 10000 free for the cluster bus), the app pointed at one master
 * and the simulator writing across every node. Its nodes are stopped by pid on exit.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisCluster, type PrivateCluster } from "./lib/redis-cluster";
import { freePort, startRedisServer, type PrivateRedis } from "./lib/redis-server";
import { startSimulator, type Simulator } from "./lib/simulator";
import { DEMO_CONFIG } from "./lib/demo-config";
import { listenHost } from "./lib/listen-host.mjs";
import { ensureSystemDeps } from "./lib/system-deps";
import { APP_NODE_FLAGS } from "./lib/app-node-flags.mjs";

const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = ".next/BUILD_ID";
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    "app",
    "components",
    "lib",
    "public",
    "proxy.ts",
    "instrumentation.ts",
    "next.config.js",
    "postcss.config.mjs",
    "tsconfig.json",
    "package-lock.json",
  ];
  return sources.some(
    (p) => existsSync(p) && (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs) > built,
  );
}

async function main() {
  const port = Number(process.env.PORT ?? (await freePortPreferring(3000)));
  const hostname = listenHost(process.env);
  const wantCluster = process.argv.slice(2).includes("--cluster");
  let redis: PrivateRedis | undefined;
  let cluster: PrivateCluster | undefined;
  let redisUrl = process.env.REDIS_URL;
  if (wantCluster) {
    ensureSystemDeps(["redis"]);
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
    redisUrl = cluster.url;
    console.log(`[demo] private Redis Cluster, the app seeded with ${redisUrl}:`);
    for (const [i, node] of cluster.nodes.entries()) {
      const role =
        i < cluster.masters.length
          ? "master"
          : `replica of 127.0.0.1:${cluster.masters[i % cluster.masters.length]!.port}`;
      console.log(`[demo]   127.0.0.1:${node.port} ${role} (pid ${node.pid})`);
    }
  } else if (!redisUrl) {
    ensureSystemDeps(["redis"]);
    redis = await startRedisServer();
    redisUrl = redis.url;
    console.log(`[demo] private redis-server on ${redisUrl} (pid ${redis.pid}, no persistence)`);
  } else {
    console.log(`[demo] using REDIS_URL from the environment`);
  }

  const configDir = mkdtempSync(join(tmpdir(), "streamscope-demo-"));
  const configPath = process.env.STREAMSCOPE_CONFIG ?? join(configDir, "streamscope.config.json");
  if (!process.env.STREAMSCOPE_CONFIG) writeFileSync(configPath, JSON.stringify(DEMO_CONFIG, null, 2));

  if (buildIsStale()) {
    console.log("[demo] building the app (next build)...");
    const build = spawnSync(process.execPath, [nextBin, "build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (build.status !== 0) {
      await redis?.stop();
      await cluster?.stop();
      process.exit(build.status ?? 1);
    }
  }

  // The simulator writes demo streams: only into our private Redis, or into yours when you ask.
  let simulator: Simulator | undefined;
  if (redis || cluster || process.env.SIMULATE === "1") {
    simulator = await startSimulator({ redisUrl, cluster: !!cluster, log: (l) => console.log(`[demo] ${l}`) });
  } else {
    console.log("[demo] REDIS_URL is set: not writing demo traffic into it (set SIMULATE=1 to do so)");
  }

  const app: ChildProcess = spawn(
    process.execPath,
    [...APP_NODE_FLAGS, nextBin, "start", "-p", String(port), "-H", hostname],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        STREAMSCOPE_CONFIG: configPath,
        WORKER: process.env.WORKER ?? "on",
        WORKER_INTERVAL_MS: process.env.WORKER_INTERVAL_MS ?? "5000",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\n[demo] stopping...");
    app.kill("SIGTERM");
    await simulator?.stop();
    await redis?.stop();
    await cluster?.stop();
    rmSync(configDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  app.on("exit", (code) => void stop(code ?? 0));

  await waitForHttp(`http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${port}/api/health`);
  console.log(`\n  Streamscope demo is running: http://${hostname}:${port}\n  Press Ctrl-C to stop.\n`);
  if (cluster) console.log(`  The cluster's nodes: http://${hostname}:${port}/cluster\n`);
}

async function freePortPreferring(preferred: number): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => void freePort().then(resolve));
    srv.listen(preferred, "127.0.0.1", () => srv.close(() => resolve(preferred)));
  });
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500 || res.status === 503) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

void main();
