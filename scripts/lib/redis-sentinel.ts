/**
 * Starts a private Sentinel deployment on loopback for tests: one master, its replicas and
 * sentinels (`redis-server <conf> --sentinel`, each with a config file of its own in a temp dir,
 * which Sentinel rewrites), all on free ports, every process stopped by its pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis, { type RedisOptions } from "ioredis";
import { freePort, redisServerBinary, startRedisServer, type PrivateRedis } from "./redis-server";

export interface PrivateSentinel {
  port: number;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface PrivateSentinelDeployment {
  /** The master's name in the sentinels' configuration. */
  name: string;
  master: PrivateRedis;
  replicas: PrivateRedis[];
  sentinels: PrivateSentinel[];
  /** `redis+sentinel://127.0.0.1:<port>,.../<name>` (`rediss+sentinel://` with TLS). */
  url: string;
  stop(): Promise<void>;
}

export interface SentinelOptions {
  name?: string;
  replicas?: number;
  sentinels?: number;
  quorum?: number;
  /** How long a master must not answer before a sentinel thinks it down. */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  bin?: string;
  /**
   * TLS only, everywhere: the servers (`--tls-port`, replication over TLS) and the sentinels with
   * these `--tls-*` arguments (certificate, key, CA), and the TLS options of this kit's own clients.
   */
  tls?: { args: string[]; client: NonNullable<RedisOptions["tls"]> };
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`sentinel: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopProcess(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const done = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return Promise.resolve();
  }
  const timer = setTimeout(() => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }, 3000);
  return done.finally(() => clearTimeout(timer));
}

type Settled = Required<Omit<SentinelOptions, "tls">> & Pick<SentinelOptions, "tls">;

/** `--tls-cert-file x` as config file lines. */
function configLines(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) out.push(`${args[i]!.replace(/^--/, "")} ${args[i + 1]}`);
  return out;
}

async function startSentinel(bin: string, name: string, masterPort: number, opts: Settled) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "streamscope-sentinel-"));
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      ...(opts.tls
        ? ["port 0", `tls-port ${port}`, "tls-replication yes", ...configLines(opts.tls.args)]
        : [`port ${port}`]),
      "bind 127.0.0.1",
      "daemonize no",
      `dir ${dir}`,
      "loglevel warning",
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${opts.quorum}`,
      `sentinel down-after-milliseconds ${name} ${opts.downAfterMs}`,
      `sentinel failover-timeout ${name} ${opts.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${name} 1`,
      "",
    ].join("\n"),
  );
  const child = spawn(bin, [conf, "--sentinel"], { stdio: ["ignore", "ignore", "inherit"] });
  const pid = child.pid;
  if (!pid) throw new Error("redis-server --sentinel did not start");
  const sentinel: PrivateSentinel = {
    port,
    pid,
    process: child,
    async stop() {
      await stopProcess(child, pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sentinel;
}

export async function startRedisSentinel(options: SentinelOptions = {}): Promise<PrivateSentinelDeployment> {
  const bin = options.bin ?? redisServerBinary();
  if (!bin) throw new Error("redis-server is not installed");
  const opts: Settled = {
    name: options.name ?? "mymaster",
    replicas: options.replicas ?? 1,
    sentinels: options.sentinels ?? 3,
    quorum: options.quorum ?? 2,
    downAfterMs: options.downAfterMs ?? 1000,
    failoverTimeoutMs: options.failoverTimeoutMs ?? 5000,
    bin,
    tls: options.tls,
  };
  const tlsArgs = opts.tls ? [...opts.tls.args, "--tls-replication", "yes"] : undefined;
  const client = (port: number, extra: RedisOptions = {}) =>
    new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 1, ...(opts.tls ? { tls: opts.tls.client } : {}), ...extra });
  const servers: PrivateRedis[] = [];
  const sentinels: PrivateSentinel[] = [];
  const stopAll = async () => {
    await Promise.all(sentinels.map((s) => s.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  };
  try {
    const master = await startRedisServer({ bin, tlsArgs });
    servers.push(master);
    for (let i = 0; i < opts.replicas; i++) {
      servers.push(
        await startRedisServer({ bin, tlsArgs, extraArgs: ["--replicaof", "127.0.0.1", String(master.port)] }),
      );
    }
    const probe = client(master.port);
    try {
      await waitFor("the replicas to be in sync", async () => {
        const info = await probe.info("replication");
        return (info.match(/^slave\d+:.*state=online/gm) ?? []).length === opts.replicas;
      });
    } finally {
      probe.disconnect();
    }
    for (let i = 0; i < opts.sentinels; i++) sentinels.push(await startSentinel(bin, opts.name, master.port, opts));
    for (const s of sentinels) {
      const c = client(s.port, { lazyConnect: true });
      c.on("error", () => undefined);
      try {
        await waitFor(`sentinel ${s.port} to know the replicas and the other sentinels`, async () => {
          if (c.status === "wait") await c.connect();
          const reply = (await c.call("SENTINEL", "MASTER", opts.name)) as string[];
          const fields = new Map<string, string>();
          for (let i = 0; i + 1 < reply.length; i += 2) fields.set(reply[i]!, reply[i + 1]!);
          return (
            Number(fields.get("num-slaves")) === opts.replicas &&
            Number(fields.get("num-other-sentinels")) === opts.sentinels - 1
          );
        });
      } finally {
        c.disconnect();
      }
    }
    return {
      name: opts.name,
      master,
      replicas: servers.slice(1),
      sentinels,
      url: `${opts.tls ? "rediss" : "redis"}+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(",")}/${opts.name}`,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
