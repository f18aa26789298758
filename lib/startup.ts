import "server-only";
import { assertSafeStartup } from "./auth/startup-check";
import { startScheduler } from "./worker/scheduler";

/** Node-only start-up (from instrumentation.ts): refuse unsafe binding, then start the worker's scheduler. */
export function startServer(): void {
  try {
    assertSafeStartup();
  } catch (err) {
    console.error(`streamscope: ${(err as Error).message}`);
    process.exit(1);
  }
  try {
    startScheduler();
  } catch (err) {
    console.error("streamscope: worker scheduler not started:", err);
  }
}
