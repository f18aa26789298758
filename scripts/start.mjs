// `npm start`: serves the built app on PORT (default 3000) and STREAMSCOPE_HOST (default 127.0.0.1;
// see scripts/lib/listen-host.mjs for HOSTNAME). Without auth configured it serves loopback only
// (see docs/security.md).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
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

const child = spawn(process.execPath, [nextBin, "start", "-p", port, "-H", hostname], {
  stdio: "inherit",
  env: process.env,
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
