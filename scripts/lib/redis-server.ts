/**
 * Starts a private redis-server on a free loopback port (no persistence, data in a temp dir)
 * and stops it by its pid. Used by the tests, the demo, the browser tests and the benchmarks.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer, createConnection } from "node:net";
import { setPriority, tmpdir } from "node:os";
import { join } from "node:path";

export interface PrivateRedis {
  port: number;
  url: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The server binary: `STREAMSCOPE_TEST_REDIS_BIN` when set (any redis-server or valkey-server build,
 * to run the tests against another version), otherwise the system's `redis-server`.
 */
export function redisServerBinary(): string | null {
  const chosen = process.env.STREAMSCOPE_TEST_REDIS_BIN;
  if (chosen) {
    try {
      accessSync(chosen, constants.X_OK);
    } catch {
      throw new Error(`STREAMSCOPE_TEST_REDIS_BIN=${chosen} is not an executable file`);
    }
    return chosen;
  }
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let buf = "";
    socket.setTimeout(500);
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\r\n")) {
        socket.destroy();
        resolve(buf.startsWith("+PONG"));
      }
    });
    socket.on("error", () => resolve(false));
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

export interface StartOptions {
  port?: number;
  extraArgs?: string[];
  /** Another binary than `redisServerBinary()`. */
  bin?: string;
  /** TLS only: the port speaks TLS (`--tls-port`, no plain port), with these `--tls-*` arguments. */
  tlsArgs?: string[];
  /**
   * The server's nice value; by default `STREAMSCOPE_TEST_REDIS_NICE` when set (vitest.config.ts
   * sets it). Only root may go below 0; elsewhere the server keeps the default.
   */
  nice?: number;
}

/** The nice value asked for, if any: the option, else a whole number in STREAMSCOPE_TEST_REDIS_NICE. */
function serverNice(opts: Pick<StartOptions, "nice">, env = process.env): number | undefined {
  if (opts.nice !== undefined) return opts.nice;
  const fromEnv = env.STREAMSCOPE_TEST_REDIS_NICE;
  return fromEnv && /^-?\d+$/.test(fromEnv) ? Number(fromEnv) : undefined;
}

export async function startRedisServer(opts: StartOptions = {}): Promise<PrivateRedis> {
  const bin = opts.bin ?? redisServerBinary();
  if (!bin) {
    throw new Error(
      "redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) " +
        "or set REDIS_URL to an existing Redis 7.0+.",
    );
  }
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "streamscope-redis-"));
  const child = spawn(
    bin,
    [
      ...(opts.tlsArgs ? ["--port", "0", "--tls-port", String(port), ...opts.tlsArgs] : ["--port", String(port)]),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--protected-mode",
      "yes",
      "--loglevel",
      "warning",
      ...(opts.extraArgs ?? []),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const pid = child.pid;
  if (!pid) throw new Error("redis-server did not start");
  const nice = serverNice(opts);
  if (nice !== undefined) {
    try {
      setPriority(pid, nice);
    } catch {
      /* not permitted here: the server keeps the default */
    }
  }
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 10_000;
  while (!(await (opts.tlsArgs ? listening(port) : ping(port)))) {
    if (exited) throw new Error(`redis-server exited during start (port ${port})`);
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      throw new Error(`redis-server did not answer on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `${opts.tlsArgs ? "rediss" : "redis"}://127.0.0.1:${port}`,
    pid,
    process: child,
    async stop() {
      if (!exited) {
        const done = new Promise<void>((r) => child.once("exit", () => r()));
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          /* already gone */
        }
        const timer = setTimeout(() => {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* already gone */
          }
        }, 3000);
        await done;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
