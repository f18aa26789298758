/** Next.js start-up hook. The Edge build leaves out the Node-only module behind this check. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/startup");
    startServer();
  }
}
