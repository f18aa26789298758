import "server-only";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, createSecureContext, type ConnectionOptions } from "node:tls";
import { getEnv, urlWantsTls, type Env, type NodeAddress } from "@/lib/env";

/**
 * The TLS options of every connection to Redis (`rediss://`, `rediss+sentinel://`): a single
 * server, every node of a cluster, the sentinels and the data nodes they name. Built once from the
 * environment: the files are read and checked (readable, PEM, key matching the certificate) on
 * first use, which is the server's start.
 */
let cached: { env: Env; options: ConnectionOptions | undefined } | undefined;

function readPem(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(
      `Invalid environment: ${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

export function redisTlsOptions(env: Env = getEnv()): ConnectionOptions | undefined {
  if (cached?.env === env) return cached.options;
  let options: ConnectionOptions | undefined;
  if (urlWantsTls(env.REDIS_URL)) {
    options = {};
    if (env.REDIS_TLS_CA_FILE) options.ca = readPem("REDIS_TLS_CA_FILE", env.REDIS_TLS_CA_FILE);
    if (env.REDIS_TLS_CERT_FILE && env.REDIS_TLS_KEY_FILE) {
      options.cert = readPem("REDIS_TLS_CERT_FILE", env.REDIS_TLS_CERT_FILE);
      options.key = readPem("REDIS_TLS_KEY_FILE", env.REDIS_TLS_KEY_FILE);
    }
    if (env.REDIS_TLS_SERVERNAME) options.servername = env.REDIS_TLS_SERVERNAME;
    if (env.REDIS_TLS_INSECURE_SKIP_VERIFY) options.rejectUnauthorized = false;
    for (const [name, pem] of [
      ["REDIS_TLS_CA_FILE", options.ca],
      ["REDIS_TLS_CERT_FILE", options.cert],
    ] as const) {
      if (!pem) continue;
      try {
        new X509Certificate(pem as Buffer);
      } catch (err) {
        throw new Error(`Invalid environment: ${name}: not a usable PEM certificate (${(err as Error).message})`);
      }
    }
    try {
      createSecureContext({ ca: options.ca, cert: options.cert, key: options.key });
    } catch (err) {
      throw new Error(
        `Invalid environment: REDIS_TLS_KEY_FILE: not a usable PEM key for REDIS_TLS_CERT_FILE (${(err as Error).message})`,
      );
    }
  }
  cached = { env, options };
  return options;
}

const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/** What went wrong in a TLS handshake with Redis, in words an operator can act on; null when `err` is no TLS error. */
export function tlsProblem(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const configured = (name: "REDIS_TLS_CA_FILE" | "REDIS_TLS_CERT_FILE") => !!process.env[name]?.trim();
  if (UNTRUSTED.has(code)) {
    return configured("REDIS_TLS_CA_FILE")
      ? "TLS: the server's certificate is not signed by REDIS_TLS_CA_FILE"
      : "TLS: the server's certificate is not signed by a CA this system trusts (set REDIS_TLS_CA_FILE to the server's CA)";
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const { host, cert } = err as { host?: string; cert?: { subjectaltname?: string } };
    const names = cert?.subjectaltname ? ` but for ${cert.subjectaltname}` : "";
    return `TLS: the server's certificate is not made for ${host ?? "the host in REDIS_URL"}${names}; set REDIS_TLS_SERVERNAME to a name it is made for`;
  }
  if (code === "CERT_HAS_EXPIRED") return "TLS: the server's certificate has expired";
  if (code === "CERT_NOT_YET_VALID") return "TLS: the server's certificate is not valid yet";
  if (/certificate required|handshake failure/i.test(err.message) && /alert/i.test(err.message)) {
    return configured("REDIS_TLS_CERT_FILE")
      ? "TLS: the server refused the client certificate (REDIS_TLS_CERT_FILE)"
      : "TLS: the server requires a client certificate (set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE)";
  }
  if (/alert (unknown ca|bad certificate|certificate unknown|decrypt error)/i.test(err.message)) {
    return "TLS: the server refused the client certificate (REDIS_TLS_CERT_FILE): it is not signed by a CA the server trusts";
  }
  const reason = (err as { reason?: string }).reason ?? err.message;
  if (/wrong version number|packet length too long/i.test(reason)) {
    return `TLS: the server does not answer in TLS (${reason}); does the port of REDIS_URL speak TLS?`;
  }
  if (code.startsWith("ERR_SSL_")) return `TLS: the handshake with Redis failed (${reason})`;
  return null;
}

/**
 * Why a TLS handshake with `target` (REDIS_URL's server, a cluster seed, a sentinel) fails, found
 * with a connection of its own that sends nothing (a server refusing the client certificate says so
 * in an alert, which a client already writing often loses to a reset); null when the handshake
 * works or the problem is not TLS.
 */
export function probeTls(target: NodeAddress, timeoutMs: number): Promise<string | null> {
  const options = redisTlsOptions();
  if (!options) return Promise.resolve(null);
  const { host, port } = target;
  return new Promise((resolve) => {
    let settled = false;
    const done = (problem: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(problem);
    };
    let connected = false;
    const timer = setTimeout(
      () =>
        done(
          connected
            ? `TLS: the server took the connection but did not answer the TLS handshake within ${timeoutMs} ms; does the port of REDIS_URL speak TLS?`
            : null,
        ),
      timeoutMs,
    );
    const socket = connect({ ...options, host, port });
    socket.on("connect", () => {
      connected = true;
    });
    socket.on("error", (err) => done(tlsProblem(err)));
    socket.on("data", () => done(null));
    socket.on("secureConnect", () => {
      connected = false;
      // The server checks the client's certificate after the client's side of the handshake.
      setTimeout(() => done(null), 300);
    });
  });
}
