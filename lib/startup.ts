import "server-only";
import { log, safeErr } from "./log";
import { assertSafeStartup } from "./auth/startup-check";
import { boundAddress, bindingProblem, installSocketHook, listeningServers } from "./auth/socket";
import { startScheduler } from "./worker/scheduler";
import { redisTlsOptions } from "./redis/tls";

/**
 * Node-only start-up (from instrumentation.ts): log every unhandled promise rejection, refuse
 * unsafe binding (checked on the sockets actually bound, then on every request), record each
 * request's peer address, then start the worker's scheduler.
 */
export function startServer(): void {
  process.on("unhandledRejection", (reason) => {
    log.error({ err: safeErr(reason) }, "unhandled promise rejection");
    // The browser tests' server sets this, so that a rejection nobody handled fails the run.
    if (process.env.STREAMSCOPE_EXIT_ON_UNHANDLED_REJECTION === "1") process.exit(70);
  });
  try {
    assertSafeStartup();
    redisTlsOptions();
    for (const server of listeningServers()) {
      const problem = bindingProblem(boundAddress(server));
      if (problem) throw new Error(problem);
    }
  } catch (err) {
    console.error(`streamscope: ${(err as Error).message}`);
    process.exit(1);
  }
  let told = false;
  installSocketHook((problem) => {
    if (!told) console.error(`streamscope: refusing requests: ${problem}`);
    told = true;
  });
  try {
    startScheduler();
  } catch (err) {
    console.error("streamscope: worker scheduler not started:", err);
  }
}
