/**
 * Next.js start-up hook (Node runtime): log every unhandled promise rejection, refuse unsafe
 * binding (checked on the sockets actually bound, then on every request), record each request's
 * peer address, start the worker's scheduler.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log, safeErr } = await import("./lib/log");
  process.on("unhandledRejection", (reason) => {
    log.error({ err: safeErr(reason) }, "unhandled promise rejection");
    // The browser tests' server sets this, so that a rejection nobody handled fails the run.
    if (process.env.STREAMSCOPE_EXIT_ON_UNHANDLED_REJECTION === "1") process.exit(70);
  });
  const { assertSafeStartup } = await import("./lib/auth/startup-check");
  const socket = await import("./lib/auth/socket");
  try {
    assertSafeStartup();
    for (const server of socket.listeningServers()) {
      const problem = socket.bindingProblem(socket.boundAddress(server));
      if (problem) throw new Error(problem);
    }
  } catch (err) {
    console.error(`streamscope: ${(err as Error).message}`);
    process.exit(1);
  }
  let told = false;
  socket.installSocketHook((problem) => {
    if (!told) console.error(`streamscope: refusing requests: ${problem}`);
    told = true;
  });
  const { startScheduler } = await import("./lib/worker/scheduler");
  try {
    startScheduler();
  } catch (err) {
    console.error("streamscope: worker scheduler not started:", err);
  }
}
