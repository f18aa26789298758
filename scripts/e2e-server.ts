/**
 * The server the browser tests run against: a private redis-server, the built app on a free
 * port, and a small control endpoint so a test can stop and restart Redis (the banner test).
 * State (ports) goes to tests/.e2e-state.json for the tests' own Redis clients.
 */
import { spawn } from "node:child_process";
import { writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { freePort, startRedisServer, type PrivateRedis } from "./lib/redis-server";
import { startSimulator, type Simulator } from "./lib/simulator";
import { APP_NODE_FLAGS } from "./lib/app-node-flags.mjs";

const require = createRequire(import.meta.url);

async function main() {
  const appPort = Number(process.env.PORT ?? 3100);
  const controlPort = Number(process.env.E2E_CONTROL_PORT ?? (await freePort()));
  const STATE_FILE = "tests/.e2e-state.json";

  let redis: PrivateRedis = await startRedisServer();
  const redisPort = redis.port;
  // Live demo traffic under `demo:` so browser tests see what a user of `npm run demo` sees.
  let simulator: Simulator | undefined;
  if (process.env.E2E_SIMULATOR !== "off") {
    simulator = await startSimulator({
      redisUrl: redis.url,
      prefix: "demo:",
      ratePerSec: 2,
      crashEveryBatches: 2,
      crashForMs: 600_000,
    });
  }
  writeFileSync(STATE_FILE, JSON.stringify({ redisUrl: redis.url, redisPort, appPort, controlPort }));

  const app = spawn(
    process.execPath,
    [...APP_NODE_FLAGS, require.resolve("next/dist/bin/next"), "start", "-p", String(appPort), "-H", "127.0.0.1"],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        REDIS_URL: redis.url,
        WORKER: process.env.WORKER ?? "off",
        NODE_ENV: "production",
        STREAMSCOPE_EXIT_ON_UNHANDLED_REJECTION: "1",
      },
    },
  );

  const control = createServer(async (req, res) => {
    try {
      if (req.method === "POST" && req.url === "/redis/stop") await redis.stop();
      else if (req.method === "POST" && req.url === "/redis/start") redis = await startRedisServer({ port: redisPort });
      else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  control.listen(controlPort, "127.0.0.1");

  let stopping = false;
  async function shutdown(code = 0) {
    if (stopping) return;
    stopping = true;
    control.close();
    await simulator?.stop();
    app.kill("SIGTERM");
    await redis.stop().catch(() => undefined);
    rmSync(STATE_FILE, { force: true });
    process.exit(code);
  }
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
  app.on("exit", (code) => {
    if (code === 70)
      console.error("e2e-server: the app had an unhandled promise rejection (logged above); failing the run");
    void shutdown(code ?? 1);
  });
}

void main();
