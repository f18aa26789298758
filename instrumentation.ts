/** Next.js start-up hook (Node runtime): refuse unsafe binding, then start the worker's scheduler. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertSafeStartup } = await import("./lib/auth/startup-check");
  try {
    assertSafeStartup();
  } catch (err) {
    console.error(`streamscope: ${(err as Error).message}`);
    process.exit(1);
  }
  const { startScheduler } = await import("./lib/worker/scheduler");
  try {
    startScheduler();
  } catch (err) {
    console.error("streamscope: worker scheduler not started:", err);
  }
}
