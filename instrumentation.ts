/** Next.js start-up hook: starts the worker's in-process scheduler on the Node runtime. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startScheduler } = await import("./lib/worker/scheduler");
    try {
      startScheduler();
    } catch (err) {
      console.error("streamscope: worker scheduler not started:", err);
    }
  }
}
