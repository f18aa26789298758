/**
 * Scrolling the overview table in Chromium: 1,000 and 100,000 streams (bench/lib.ts's overview
 * seed) on a private redis-server, the built app, Debian's Chromium through Playwright. Once the
 * stream index has ended its first pass, the page is scrolled by the mouse wheel (300 px every
 * 16 ms for 1.5 s: the same distance on both sizes), then jumped to the middle and the end of the table. Prints, per size: the frame
 * intervals measured in the page (requestAnimationFrame: median, p95, max, frames over 50 ms), the
 * rows drawn at the end (only those on screen should be), and how long the rows of a jumped-to
 * place took to replace their placeholders.
 * Run: `npx tsx bench/scroll.ts` (builds the app first when `.next` is missing).
 */
import Redis from "ioredis";
import { chromium, type Page } from "@playwright/test";
import { startRedisServer } from "../scripts/lib/redis-server";
import { chromiumPath } from "../scripts/lib/system-deps";
import { benchStreamKey, ensureBuilt, fmtMs, isMain, seedOverviewStreams, startApp } from "./lib";

const SIZES = (
  process.env.SCROLL_SIZES ? process.env.SCROLL_SIZES.split(",").map(Number) : [1_000, 100_000]
) as readonly number[];
const WHEEL_MS = 1_500;
/** 300 px per wheel event for WHEEL_MS: about 700 rows of 40 px, within the smaller table's 1,000. */
const WHEEL_PX = 300;

export interface ScrollResult {
  streams: number;
  frames: number;
  medianFrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  longFrames: number;
  rowsDrawn: number;
  middleRowsMs: number;
  endRowsMs: number;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function indexWhole(url: string, streams: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await fetch(`${url}/api/streams?offset=0&count=1`);
    const body = (await res.json()) as { index?: { exact: boolean; total: number } };
    if (body.index?.exact && body.index.total === streams) return;
    if (Date.now() > deadline) throw new Error("the stream index did not end its first pass within 300 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Jumps the table's scroller to `fraction` of its height; ms until no row on screen is a placeholder. */
async function jumpAndWait(page: Page, fraction: number): Promise<number> {
  const scroller = page.getByRole("table", { name: "Streams" }).locator("xpath=..");
  const started = Date.now();
  await scroller.evaluate((el, f) => el.scrollTo({ top: f * el.scrollHeight }), fraction);
  await page.waitForTimeout(50);
  await page.waitForFunction(
    `(() => {
      const table = document.querySelector('table[aria-label="Streams"]');
      const view = table?.parentElement?.getBoundingClientRect();
      if (!view) return false;
      const onScreen = [...table.querySelectorAll('tr[role="row"]')].filter((r) => {
        const b = r.getBoundingClientRect();
        return b.bottom > view.top && b.top < view.bottom;
      });
      return onScreen.length > 1 && onScreen.every((r) => !r.hasAttribute("data-placeholder"));
    })()`,
    undefined,
    { timeout: 30_000, polling: 20 },
  );
  return Date.now() - started;
}

async function measure(url: string, streams: number): Promise<ScrollResult> {
  const browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    await page.goto(url);
    const table = page.getByRole("table", { name: "Streams" });
    await table.waitFor({ timeout: 60_000 });
    await page.getByRole("link", { name: benchStreamKey(0) }).waitFor({ timeout: 60_000 });
    // A string, not a function: the TypeScript loader would wrap named functions in a helper the page lacks.
    await page.evaluate(`(() => {
      window.frameGaps = [];
      let last = performance.now();
      const tick = (t) => { window.frameGaps.push(t - last); last = t; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await table.hover();
    const until = Date.now() + WHEEL_MS;
    while (Date.now() < until) {
      await page.mouse.wheel(0, WHEEL_PX);
      await page.waitForTimeout(16);
    }
    const gaps = ((await page.evaluate("window.frameGaps")) as number[]).slice(1);
    const sorted = [...gaps].sort((a, b) => a - b);
    const middleRowsMs = await jumpAndWait(page, 0.5);
    const endRowsMs = await jumpAndWait(page, 0.999);
    const rowsDrawn = await table.getByRole("row").count();
    return {
      streams,
      frames: gaps.length,
      medianFrameMs: quantile(sorted, 0.5),
      p95FrameMs: quantile(sorted, 0.95),
      maxFrameMs: sorted[sorted.length - 1] ?? 0,
      longFrames: gaps.filter((g) => g > 50).length,
      rowsDrawn,
      middleRowsMs,
      endRowsMs,
    };
  } finally {
    await browser.close();
  }
}

export async function runScrollBench(): Promise<ScrollResult[]> {
  ensureBuilt();
  const results: ScrollResult[] = [];
  for (const streams of SIZES) {
    const server = await startRedisServer();
    const redis = new Redis(server.url);
    let app: Awaited<ReturnType<typeof startApp>> | undefined;
    try {
      console.log(`scroll bench: seeding ${streams} streams...`);
      await seedOverviewStreams(() => redis, streams);
      app = await startApp(server.url, { env: { READ_CACHE_MS: "1000" } });
      await indexWhole(app.url, streams);
      const r = await measure(app.url, streams);
      results.push(r);
      console.log(
        `overview table, ${streams} streams: ${r.frames} frames in ${WHEEL_MS / 1000} s of wheel scrolling, frame interval median ${fmtMs(r.medianFrameMs)}, p95 ${fmtMs(r.p95FrameMs)}, max ${fmtMs(r.maxFrameMs)}, ${r.longFrames} over 50 ms; ${r.rowsDrawn} rows drawn; rows in place after a jump to the middle ${fmtMs(r.middleRowsMs)}, to the end ${fmtMs(r.endRowsMs)}`,
      );
    } finally {
      await app?.stop();
      redis.disconnect();
      await server.stop();
    }
  }
  return results;
}

if (isMain(import.meta.url)) {
  runScrollBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
