/**
 * `npm run screenshot`: refreshes docs/screenshot-overview.png (the README's picture) from the
 * demo's own data. Starts `npm run demo` on a free port, lets the simulator run for a while (so
 * there is pending, lag, a stuck message and a dead consumer), photographs the overview in
 * Chromium, then stops the demo. Not part of the tests: run it on purpose and commit the picture.
 */
import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";
import { freePort } from "./lib/redis-server";
import { chromiumPath } from "./lib/system-deps";

const OUT = "docs/screenshot-overview.png";
const SETTLE_MS = Number(process.env.SCREENSHOT_SETTLE_MS ?? 45_000);

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PORT: String(port), STREAMSCOPE_HOST: "127.0.0.1", REDIS_URL: "" },
  });
  const exited = new Promise<void>((resolve) => demo.on("exit", () => resolve()));
  try {
    // The demo builds the app first when the build is missing or stale (a few minutes).
    await waitForHealth(`${base}/api/health`, 15 * 60_000);
    console.log(`[screenshot] demo up on ${base}; letting the simulator run ${SETTLE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const browser = await chromium.launch({
      executablePath: chromiumPath() ?? undefined,
      args: ["--no-sandbox", "--disable-gpu"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 }, colorScheme: "light" });
      await page.goto(base);
      await page.getByRole("link", { name: "payments" }).first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(2000);
      await page.screenshot({ path: OUT, fullPage: true });
      console.log(`[screenshot] wrote ${OUT}`);
    } finally {
      await browser.close();
    }
  } finally {
    demo.kill("SIGINT");
    await exited;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
