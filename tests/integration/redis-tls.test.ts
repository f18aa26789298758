import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as getEntries } from "@/app/api/streams/[key]/entries/route";
import { GET as listStreams } from "@/app/api/streams/route";
import type { HealthResponse } from "@/lib/contract/common";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { getEnv } from "@/lib/env";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis, getRedis, getWriteConnection, getWriteRedis } from "@/lib/redis/client";
import { redisTlsOptions } from "@/lib/redis/tls";
import type { PrivateRedis } from "@/scripts/lib/redis-server";
import { callRoute } from "../helpers/route";
import { startRedisSentinel, type PrivateSentinelDeployment } from "@/scripts/lib/redis-sentinel";
import {
  makeTlsFiles,
  serverTlsArgs,
  startTlsCluster,
  startTlsRedis,
  tlsRedisBinary,
  type TlsFiles,
} from "../helpers/tls";

/**
 * `rediss://` against private redis-servers speaking TLS with certificates made by openssl:
 * the system's CAs, a private CA file, mutual TLS, a server-name override; every TLS failure is a
 * quick 503 naming the problem, never a hang.
 */
const binary = tlsRedisBinary();
if ("skip" in binary) console.warn(`redis-tls.test.ts skipped: ${binary.skip}`);

const TLS_VARS = [
  "REDIS_TLS_CA_FILE",
  "REDIS_TLS_CERT_FILE",
  "REDIS_TLS_KEY_FILE",
  "REDIS_TLS_SERVERNAME",
  "REDIS_TLS_INSECURE_SKIP_VERIFY",
];
const saved = { REDIS_URL: process.env.REDIS_URL };

type Health = { status: string; redis?: { version: string }; error?: { code: string; message: string } };
type ErrorRes = { error: { code: string; message: string } };

async function use(env: Record<string, string | undefined>): Promise<void> {
  await closeRedis();
  for (const k of TLS_VARS) delete process.env[k];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetProcessState();
}

async function timedHealth(): Promise<{ ms: number; status: number; body: Health }> {
  const t0 = Date.now();
  const res = await callRoute<Health>(health as never, "/api/health");
  return { ms: Date.now() - t0, ...res };
}

describe.skipIf("skip" in binary)("Redis over TLS", () => {
  let files: TlsFiles;
  let open: PrivateRedis;
  let mutual: PrivateRedis;
  let named: PrivateRedis;

  beforeAll(async () => {
    const bin = (binary as { bin: string }).bin;
    files = makeTlsFiles();
    [open, mutual, named] = await Promise.all([
      startTlsRedis(bin, files),
      startTlsRedis(bin, files, { authClients: true }),
      startTlsRedis(bin, files, { cert: "named" }),
    ]);
  });

  afterAll(async () => {
    await use({});
    process.env.REDIS_URL = saved.REDIS_URL;
    resetProcessState();
    await Promise.all([open?.stop(), mutual?.stop(), named?.stop()]);
    files?.cleanup();
  });

  it("connects with the private CA: health ok, a stream read works, on the write connection too", async () => {
    await use({ REDIS_URL: open.url, REDIS_TLS_CA_FILE: files.ca });
    const res = await timedHealth();
    expect(res.body).toMatchObject({ status: "ok" });
    expect(res.status).toBe(200);
    await getWriteRedis().xadd("tls:s", "1-0", "a", "b");
    const entries = await callRoute<{ entries: unknown[] }>(getEntries as never, "/api/streams/tls%3As/entries", {
      params: { key: "tls:s" },
    });
    expect(entries.status).toBe(200);
    expect(entries.body.entries).toHaveLength(1);
    const tail = getRedis().duplicate();
    try {
      expect(await tail.ping()).toBe("PONG");
    } finally {
      tail.disconnect();
    }
  });

  it("a CA that did not sign the server's certificate: 503 naming REDIS_TLS_CA_FILE, quickly, on health and on routes", async () => {
    await use({ REDIS_URL: open.url, REDIS_TLS_CA_FILE: files.otherCa });
    const res = await timedHealth();
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      code: "REDIS_UNAVAILABLE",
      message: "TLS: the server's certificate is not signed by REDIS_TLS_CA_FILE",
    });
    expect(res.ms).toBeLessThan(5000);
    const t0 = Date.now();
    const route = await callRoute<ErrorRes>(getEntries as never, "/api/streams/tls%3As/entries", {
      params: { key: "tls:s" },
    });
    expect(route.status).toBe(503);
    expect(route.body.error.message).toBe("TLS: the server's certificate is not signed by REDIS_TLS_CA_FILE");
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it("no CA file and a private CA: the system's CAs do not trust it, and the message says what to set", async () => {
    await use({ REDIS_URL: open.url });
    const res = await timedHealth();
    expect(res.status).toBe(503);
    expect(res.body.error?.message).toMatch(/not signed by a CA this system trusts.*REDIS_TLS_CA_FILE/);
    expect(res.ms).toBeLessThan(5000);
  });

  it("a server that requires a client certificate: 503 saying so without one, ok with one", async () => {
    await use({ REDIS_URL: mutual.url, REDIS_TLS_CA_FILE: files.ca });
    const res = await timedHealth();
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      code: "REDIS_UNAVAILABLE",
      message: "TLS: the server requires a client certificate (set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE)",
    });
    expect(res.ms).toBeLessThan(5000);
    const t0 = Date.now();
    const route = await callRoute<ErrorRes>(getEntries as never, "/api/streams/tls%3As/entries", {
      params: { key: "tls:s" },
    });
    expect(route.status).toBe(503);
    expect(route.body.error.code).toBe("REDIS_UNAVAILABLE");
    expect(Date.now() - t0).toBeLessThan(5000);

    await use({
      REDIS_URL: mutual.url,
      REDIS_TLS_CA_FILE: files.ca,
      REDIS_TLS_CERT_FILE: files.clientCert,
      REDIS_TLS_KEY_FILE: files.clientKey,
    });
    const ok = await timedHealth();
    expect(ok.body).toMatchObject({ status: "ok" });
  });

  it("a certificate made for another name: 503 pointing at REDIS_TLS_SERVERNAME, ok with it", async () => {
    await use({ REDIS_URL: named.url, REDIS_TLS_CA_FILE: files.ca });
    const res = await timedHealth();
    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe("REDIS_UNAVAILABLE");
    expect(res.body.error?.message).toBe(
      "TLS: the server's certificate is not made for 127.0.0.1 but for DNS:redis.test; set REDIS_TLS_SERVERNAME to a name it is made for",
    );
    expect(res.ms).toBeLessThan(5000);

    await use({ REDIS_URL: named.url, REDIS_TLS_CA_FILE: files.ca, REDIS_TLS_SERVERNAME: "redis.test" });
    const ok = await timedHealth();
    expect(ok.body).toMatchObject({ status: "ok" });
  });

  it("rediss:// to a port without TLS: 503 saying the port may not speak TLS, bounded by the connect timeouts", async () => {
    await use({ REDIS_URL: saved.REDIS_URL!.replace(/^redis:/, "rediss:") });
    const res = await timedHealth();
    expect(res.status).toBe(503);
    expect(res.body.error?.message).toMatch(/^TLS: .*does the port of REDIS_URL speak TLS\?$/);
    // A plain server never answers the handshake: two connect timeouts (3 s) for the ping, then the probe.
    expect(res.ms).toBeLessThan(10_000);
  });

  it("REDIS_TLS_INSECURE_SKIP_VERIFY=1 connects to an untrusted server", async () => {
    await use({ REDIS_URL: named.url, REDIS_TLS_INSECURE_SKIP_VERIFY: "1" });
    expect((await timedHealth()).body).toMatchObject({ status: "ok" });
  });
});

describe.skipIf("skip" in binary)("a Redis Cluster over TLS (tls-cluster yes)", () => {
  let files: TlsFiles;
  let nodes: PrivateRedis[] = [];

  beforeAll(async () => {
    files = makeTlsFiles();
    nodes = await startTlsCluster((binary as { bin: string }).bin, files);
  }, 60_000);

  afterAll(async () => {
    await use({});
    process.env.REDIS_URL = saved.REDIS_URL;
    resetProcessState();
    await Promise.all(nodes.map((n) => n.stop()));
    files?.cleanup();
  });

  it("rediss:// naming one node: every master over TLS with the private CA, streams on each listed", async () => {
    await use({ REDIS_URL: `rediss://127.0.0.1:${nodes[0]!.port}`, REDIS_TLS_CA_FILE: files.ca });
    const res = await callRoute<HealthResponse>(health as never, "/api/health");
    expect(res.status).toBe(200);
    if (res.body.status !== "ok") throw new Error("health failed");
    expect(res.body.redis.mode).toBe("cluster");
    expect(res.body.redis.nodes!.map((n) => n.address)).toEqual(nodes.map((n) => `127.0.0.1:${n.port}`).sort());
    expect(res.body.redis.nodes!.every((n) => n.reachable)).toBe(true);

    const write = await getWriteConnection();
    const keys = Array.from({ length: 30 }, (_, i) => `tlsc:s${i}`);
    for (const key of keys) await write.xadd(key, "*", "n", "1");
    const seen: string[] = [];
    let cursor = "0";
    do {
      const list = await callRoute<StreamsListResponse>(listStreams as never, "/api/streams", {
        query: { match: "tlsc:*", count: 100, cursor },
      });
      expect(list.status).toBe(200);
      seen.push(...list.body.streams.map((r) => r.key));
      cursor = list.body.cursor;
    } while (cursor !== "0");
    expect(seen.sort()).toEqual([...keys].sort());
  });

  it("a CA that did not sign the nodes' certificates: 503 naming REDIS_TLS_CA_FILE, quickly", async () => {
    await use({ REDIS_URL: `rediss://127.0.0.1:${nodes[1]!.port}`, REDIS_TLS_CA_FILE: files.otherCa });
    const res = await timedHealth();
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      code: "REDIS_UNAVAILABLE",
      message: "TLS: the server's certificate is not signed by REDIS_TLS_CA_FILE",
    });
    expect(res.ms).toBeLessThan(5000);
  });
});

describe.skipIf("skip" in binary)("Sentinel over TLS, mutual (rediss+sentinel://)", () => {
  let files: TlsFiles;
  let deployment: PrivateSentinelDeployment;

  beforeAll(async () => {
    files = makeTlsFiles();
    deployment = await startRedisSentinel({
      bin: (binary as { bin: string }).bin,
      replicas: 1,
      sentinels: 3,
      tls: {
        args: serverTlsArgs(files, { authClients: true }),
        client: {
          ca: readFileSync(files.ca),
          cert: readFileSync(files.clientCert),
          key: readFileSync(files.clientKey),
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await use({});
    process.env.REDIS_URL = saved.REDIS_URL;
    resetProcessState();
    await deployment?.stop();
    files?.cleanup();
  });

  it("the sentinels and the master over TLS with the private CA and a client certificate: health sentinel, a read works", async () => {
    expect(deployment.url).toMatch(/^rediss\+sentinel:\/\//);
    await use({
      REDIS_URL: deployment.url,
      REDIS_TLS_CA_FILE: files.ca,
      REDIS_TLS_CERT_FILE: files.clientCert,
      REDIS_TLS_KEY_FILE: files.clientKey,
    });
    const res = await callRoute<HealthResponse>(health as never, "/api/health");
    expect(res.status).toBe(200);
    if (res.body.status !== "ok") throw new Error("health failed");
    expect(res.body.redis.mode).toBe("sentinel");
    expect(res.body.redis.sentinel?.master).toBe(`127.0.0.1:${deployment.master.port}`);
    expect(res.body.redis.sentinel?.sentinels.every((s) => s.reachable)).toBe(true);
    await getWriteRedis().xadd("tls:sentinel", "1-0", "a", "b");
    const entries = await callRoute<{ entries: unknown[] }>(getEntries as never, "/api/x", {
      params: { key: "tls:sentinel" },
    });
    expect(entries.status).toBe(200);
    expect(entries.body.entries).toHaveLength(1);
  });

  it("without the client certificate, or with a CA that did not sign: a quick 503 naming the problem", async () => {
    await use({ REDIS_URL: deployment.url, REDIS_TLS_CA_FILE: files.ca });
    const bare = await timedHealth();
    expect(bare.status).toBe(503);
    expect(bare.body.error).toEqual({
      code: "REDIS_UNAVAILABLE",
      message: "TLS: the server requires a client certificate (set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE)",
    });
    expect(bare.ms).toBeLessThan(5000);
    const t0 = Date.now();
    const route = await callRoute<ErrorRes>(getEntries as never, "/api/x", { params: { key: "tls:sentinel" } });
    expect(route.status).toBe(503);
    expect(route.body.error.code).toBe("REDIS_UNAVAILABLE");
    expect(Date.now() - t0).toBeLessThan(5000);

    await use({
      REDIS_URL: deployment.url,
      REDIS_TLS_CA_FILE: files.otherCa,
      REDIS_TLS_CERT_FILE: files.clientCert,
      REDIS_TLS_KEY_FILE: files.clientKey,
    });
    const untrusted = await timedHealth();
    expect(untrusted.status).toBe(503);
    expect(untrusted.body.error?.message).toBe("TLS: the server's certificate is not signed by REDIS_TLS_CA_FILE");
    expect(untrusted.ms).toBeLessThan(5000);
  });
});

describe.skipIf("skip" in binary)("TLS variables, checked at start", () => {
  let files: TlsFiles;
  beforeAll(() => {
    files = makeTlsFiles();
  });
  afterAll(async () => {
    await use({});
    process.env.REDIS_URL = saved.REDIS_URL;
    resetProcessState();
    files?.cleanup();
  });

  it("refuses TLS variables with a redis:// URL", async () => {
    await use({ REDIS_URL: "redis://127.0.0.1:6379", REDIS_TLS_CA_FILE: files.ca });
    expect(() => getEnv()).toThrow(/REDIS_TLS_CA_FILE: only with a rediss:\/\/ REDIS_URL/);
  });

  it("refuses a client certificate without its key", async () => {
    await use({ REDIS_URL: "rediss://127.0.0.1:6379", REDIS_TLS_CERT_FILE: files.clientCert });
    expect(() => getEnv()).toThrow(/REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together/);
  });

  it("refuses an unreadable file, a file that is no PEM, and a key that does not match the certificate", async () => {
    await use({ REDIS_URL: "rediss://127.0.0.1:6379", REDIS_TLS_CA_FILE: `${files.dir}/missing.crt` });
    expect(() => redisTlsOptions()).toThrow(/REDIS_TLS_CA_FILE: cannot read .*missing\.crt \(ENOENT\)/);
    await use({ REDIS_URL: "rediss://127.0.0.1:6379", REDIS_TLS_CA_FILE: `${files.dir}/server.ext` });
    expect(() => redisTlsOptions()).toThrow(/REDIS_TLS_CA_FILE: not a usable PEM certificate/);
    await use({
      REDIS_URL: "rediss://127.0.0.1:6379",
      REDIS_TLS_CERT_FILE: files.clientCert,
      REDIS_TLS_KEY_FILE: files.serverKey,
    });
    expect(() => redisTlsOptions()).toThrow(/REDIS_TLS_KEY_FILE: not a usable PEM key/);
  });

  it("reads the files once", async () => {
    await use({ REDIS_URL: "rediss://127.0.0.1:6379", REDIS_TLS_CA_FILE: files.ca });
    expect(redisTlsOptions()).toBe(redisTlsOptions());
    expect(redisTlsOptions()?.ca).toBeInstanceOf(Buffer);
  });
});
