import "server-only";
import { getAuth } from "./config";
import { isLoopbackHostname } from "./request-checks";

/**
 * Refuses to serve beyond loopback without auth. The lead calls assertSafeStartup() from
 * instrumentation.ts's register() (Node runtime); scripts/start.mjs does the same check before
 * it starts Next, since it knows HOSTNAME. Also surfaces auth config errors at start.
 */
export const NO_AUTH_MESSAGE =
  "Streamscope refuses to listen on a non-loopback address without login. Configure auth in the config file " +
  "(STREAMSCOPE_CONFIG): auth.users (passwords hashed with `npm run hash-secret -- <password>`), auth.tokens, " +
  "auth.oidc or auth.trustedProxy, or listen on 127.0.0.1 (HOSTNAME=127.0.0.1). See docs/security.md.";

export function startupProblem(hostname: string | undefined): string | null {
  const auth = getAuth(); // throws on a broken auth section: the server should not start
  const host = (hostname ?? "127.0.0.1").replace(/^\[|\]$/g, "");
  if (!auth.enabled && !isLoopbackHostname(host) && host !== "::1") return NO_AUTH_MESSAGE;
  return null;
}

/** The address `next start` was asked to bind: `-H`/`--hostname` on the command line, else HOSTNAME. */
export function requestedHostname(
  argv: readonly string[] = process.argv,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === "-H" || arg === "--hostname") && argv[i + 1]) return argv[i + 1];
    if (arg.startsWith("--hostname=")) return arg.slice("--hostname=".length);
  }
  return env.HOSTNAME;
}

export function assertSafeStartup(hostname = requestedHostname()): void {
  const problem = startupProblem(hostname);
  if (problem) throw new Error(problem);
}
