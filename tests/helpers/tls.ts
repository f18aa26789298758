/**
 * TLS test kit: a CA, a second CA nobody trusts, server certificates and a client certificate made
 * with `openssl` in a temp dir, and private redis-servers (single, or a cluster) speaking TLS on
 * free ports.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisCluster } from "@/scripts/lib/redis-cluster";
import { startRedisServer, type PrivateRedis } from "@/scripts/lib/redis-server";

export interface TlsFiles {
  dir: string;
  ca: string;
  otherCa: string;
  /** Server certificate for 127.0.0.1 and redis.test. */
  serverCert: string;
  serverKey: string;
  /** Server certificate for redis.test only (connecting by IP needs a server-name override). */
  namedCert: string;
  namedKey: string;
  clientCert: string;
  clientKey: string;
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function newKey(dir: string, name: string): void {
  openssl(dir, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name]);
}

function selfSignedCa(dir: string, name: string, cn: string): void {
  newKey(dir, `${name}.key`);
  openssl(dir, [
    "req",
    "-x509",
    "-new",
    "-key",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-days",
    "2",
    "-subj",
    `/CN=${cn}`,
  ]);
}

function signed(dir: string, name: string, cn: string, ext: string): void {
  newKey(dir, `${name}.key`);
  openssl(dir, ["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`]);
  writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.crt`,
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
  ]);
}

export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), "streamscope-tls-"));
  selfSignedCa(dir, "ca", "Streamscope test CA");
  selfSignedCa(dir, "other-ca", "Some other CA");
  signed(
    dir,
    "server",
    "127.0.0.1",
    "subjectAltName=IP:127.0.0.1,DNS:redis.test\nextendedKeyUsage=serverAuth,clientAuth",
  );
  signed(dir, "named", "redis.test", "subjectAltName=DNS:redis.test\nextendedKeyUsage=serverAuth");
  signed(dir, "client", "streamscope", "extendedKeyUsage=clientAuth");
  const at = (f: string) => join(dir, f);
  return {
    dir,
    ca: at("ca.crt"),
    otherCa: at("other-ca.crt"),
    serverCert: at("server.crt"),
    serverKey: at("server.key"),
    namedCert: at("named.crt"),
    namedKey: at("named.key"),
    clientCert: at("client.crt"),
    clientKey: at("client.key"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether a redis-server binary was built with TLS (it says "Failed finding TLS support" otherwise). */
function hasTls(bin: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), "streamscope-tlsprobe-"));
  try {
    const out = spawnSync(bin, ["--port", "0", "--tls-port", "1", "--save", "", "--dir", dir, "--bind", "127.0.0.1"], {
      encoding: "utf8",
      timeout: 5000,
    });
    const text = `${out.stdout}${out.stderr}`;
    return !/TLS support|not supported|Bad directive/i.test(text) && /tls/i.test(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The binary for the TLS tests: the one of STREAMSCOPE_TEST_REDIS_BIN when it has TLS, otherwise
 * Debian's /usr/bin/redis-server (built with TLS); the reason when neither has TLS.
 */
export function tlsRedisBinary(): { bin: string } | { skip: string } {
  const candidates = [process.env.STREAMSCOPE_TEST_REDIS_BIN, "/usr/bin/redis-server"].filter((b): b is string => !!b);
  const lacking: string[] = [];
  for (const bin of candidates) {
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      lacking.push(`${bin} (not found)`);
      continue;
    }
    if (hasTls(bin)) return { bin };
    lacking.push(`${bin} (built without TLS)`);
  }
  return { skip: `no redis-server with TLS for the TLS tests: ${lacking.join(", ")}` };
}

/** redis-server's TLS arguments with the test CA: the server certificate, and whether clients must show one. */
export function serverTlsArgs(
  files: TlsFiles,
  opts: { cert?: "server" | "named"; authClients?: boolean } = {},
): string[] {
  const named = opts.cert === "named";
  return [
    "--tls-cert-file",
    named ? files.namedCert : files.serverCert,
    "--tls-key-file",
    named ? files.namedKey : files.serverKey,
    "--tls-ca-cert-file",
    files.ca,
    "--tls-auth-clients",
    opts.authClients ? "yes" : "no",
  ];
}

export function startTlsRedis(
  bin: string,
  files: TlsFiles,
  opts: { cert?: "server" | "named"; authClients?: boolean } = {},
): Promise<PrivateRedis> {
  return startRedisServer({ bin, tlsArgs: serverTlsArgs(files, opts) });
}

/**
 * A private Redis Cluster of `masters` nodes speaking only TLS, clients and cluster bus alike
 * (`tls-cluster yes`), with the test CA's server certificate; slots spread evenly.
 */
export async function startTlsCluster(bin: string, files: TlsFiles, masters = 3): Promise<PrivateRedis[]> {
  const cluster = await startRedisCluster({
    masters,
    bin,
    tls: {
      args: [...serverTlsArgs(files), "--tls-cluster", "yes"],
      ca: readFileSync(files.ca),
    },
  });
  return cluster.nodes;
}
