/**
 * Two app instances (`next start` twice from one build) on one private Redis, behind a round-robin
 * HTTP proxy written here: every answer through the proxy is a 200 with the same data, an ack
 * through one instance is seen through the other, and the worker lock lets one tick run at a time.
 * Then `npm start` with STREAMSCOPE_PROCESSES=2: two processes on one port (node:cluster).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Redis from "ioredis";
import { expect, test } from "@playwright/test";
import { freePort, startRedisServer, type PrivateRedis } from "../../scripts/lib/redis-server";

const STREAM = "instances:orders";
const GROUP = "billing";

interface Instance {
  url: string;
  child: ChildProcess;
}

async function startInstance(redisUrl: string, configPath: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        NODE_ENV: "production",
        WORKER: "on",
        WORKER_INTERVAL_MS: "1000",
        STREAMSCOPE_CONFIG: configPath,
        NEXT_TELEMETRY_DISABLED: "1",
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child };
    if (Date.now() > deadline) throw new Error("next start did not answer within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.child.exitCode !== null) return;
  const done = new Promise<void>((r) => instance.child.once("exit", () => r()));
  instance.child.kill("SIGTERM");
  const timer = setTimeout(() => instance.child.kill("SIGKILL"), 5000);
  await done;
  clearTimeout(timer);
}

/** Round-robin over the upstreams, one upstream request per incoming request; counts per upstream. */
function startProxy(upstreams: string[]): Promise<{ url: string; server: Server; served: number[] }> {
  const served = upstreams.map(() => 0);
  let next = 0;
  const server = createServer((req, res) => {
    const i = next++ % upstreams.length;
    served[i]!++;
    const target = new URL(upstreams[i]!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server, served });
    }),
  );
}

test.describe.configure({ timeout: 180_000 });

test("two instances behind one port answer the same data, see each other's acks and share the worker lock", async () => {
  const redisServer: PrivateRedis = await startRedisServer();
  const redis = new Redis(redisServer.url);
  const instances: Instance[] = [];
  const configDir = mkdtempSync(join(tmpdir(), "streamscope-instances-"));
  const configPath = join(configDir, "streamscope.config.json");
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  try {
    for (let i = 0; i < 10; i++) await redis.xadd(STREAM, "*", "n", String(i));
    await redis.xgroup("CREATE", STREAM, GROUP, "0");
    const read = (await redis.xreadgroup("GROUP", GROUP, "c1", "COUNT", 5, "STREAMS", STREAM, ">")) as [
      string,
      [string, string[]][],
    ][];
    const pendingIds = read[0]![1].map(([id]) => id);

    writeFileSync(configPath, "{}");
    for (let i = 0; i < 2; i++) instances.push(await startInstance(redisServer.url, configPath));
    proxy = await startProxy(instances.map((i) => i.url));
    const group = `/api/streams/${encodeURIComponent(STREAM)}/groups/${GROUP}`;

    // Through the proxy: every answer a 200 with the same pending count, from both instances.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${proxy.url}${group}/pending`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { summary: { count: number } };
      expect(body.summary.count).toBe(5);
      const overview = await fetch(`${proxy.url}/api/overview`);
      expect(overview.status).toBe(200);
    }
    expect(proxy.served[0]).toBeGreaterThan(0);
    expect(proxy.served[1]).toBeGreaterThan(0);

    // An ack through the first instance is seen through the second (no per-instance state in the way).
    const acked = pendingIds[0]!;
    const ack = await fetch(`${instances[0]!.url}${group}/ack`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: [acked] }),
    });
    expect(ack.status).toBe(200);
    await expect
      .poll(
        async () => {
          const res = await fetch(`${instances[1]!.url}${group}/pending`);
          const body = (await res.json()) as { summary: { count: number }; entries: { id: string }[] };
          return { count: body.summary.count, stillThere: body.entries.some((e) => e.id === acked) };
        },
        { timeout: 5000 },
      )
      .toEqual({ count: 4, stillThere: false });

    // The worker: both schedulers tick every second; the lock names one holder at a time, and
    // the recorded ticks never overlap.
    const ids = await Promise.all(
      instances.map(
        async (i) => ((await (await fetch(`${i.url}/api/worker`)).json()) as { instance: string }).instance,
      ),
    );
    expect(new Set(ids).size).toBe(2);
    const holders = new Set<string>();
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      const value = await redis.get("streamscope:worker:lock");
      if (value) holders.add(value.slice(0, value.lastIndexOf("|")));
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const h of holders) expect(ids).toContain(h);
    const status = (await (await fetch(`${proxy.url}/api/worker`)).json()) as {
      ticks: { instance: string; status: string; startedAt: number; finishedAt: number }[];
    };
    const ran = status.ticks.filter((t) => t.status !== "busy").sort((a, b) => a.startedAt - b.startedAt);
    expect(ran.length).toBeGreaterThan(3);
    for (let i = 1; i < ran.length; i++) expect(ran[i]!.startedAt).toBeGreaterThanOrEqual(ran[i - 1]!.finishedAt);
    for (const t of ran) expect(ids).toContain(t.instance);
  } finally {
    await new Promise<void>((r) => (proxy ? proxy.server.close(() => r()) : r()));
    await Promise.all(instances.map(stopInstance));
    redis.disconnect();
    await redisServer.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
});

test("npm start with STREAMSCOPE_PROCESSES=2 serves one port from two processes, starts a killed one again, and stops both", async () => {
  const redisServer: PrivateRedis = await startRedisServer();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const primary = spawn(process.execPath, [join(process.cwd(), "scripts/start.mjs")], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      REDIS_URL: redisServer.url,
      PORT: String(port),
      STREAMSCOPE_HOST: "127.0.0.1",
      STREAMSCOPE_PROCESSES: "2",
      WORKER: "off",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  // A new connection each time (no agent): node:cluster hands out connections, not requests, round robin.
  const workerInstance = () =>
    new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${url}/api/worker`, { agent: false }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve((JSON.parse(text) as { instance: string }).instance)
            : reject(new Error(`answered ${res.statusCode}`)),
        );
      });
      req.on("error", reject);
      req.setTimeout(5000, () => req.destroy(new Error("no answer within 5 s")));
      req.end();
    });
  const instancesSeen = async (calls: number) => {
    const seen = new Set<string>();
    for (let i = 0; i < calls; i++) seen.add(await workerInstance());
    return seen;
  };
  try {
    await expect
      .poll(
        () =>
          fetch(`${url}/api/health`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 60_000 },
      )
      .toBe(200);
    await expect.poll(async () => (await instancesSeen(10)).size, { timeout: 30_000 }).toBe(2);

    // An instance id is `host:pid:random`: end one process, and another takes its place.
    const [first] = [...(await instancesSeen(10))];
    const pid = Number(first!.split(":")[1]);
    process.kill(pid, "SIGKILL");
    await expect
      .poll(
        async () => {
          // A connection handed to the process as it died gets no answer: the timeout ends it.
          const seen = await instancesSeen(10).catch(() => new Set<string>());
          return seen.size === 2 && !seen.has(first!);
        },
        { timeout: 60_000 },
      )
      .toBe(true);

    const exited = new Promise<number | null>((r) => primary.once("exit", (code) => r(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect
      .poll(() =>
        fetch(`${url}/api/health`).then(
          () => "answering",
          () => "closed",
        ),
      )
      .toBe("closed");
  } finally {
    if (primary.exitCode === null) primary.kill("SIGKILL");
    await redisServer.stop();
  }
});
