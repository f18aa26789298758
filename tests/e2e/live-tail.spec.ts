import type { Page } from "@playwright/test";
import type Redis from "ioredis";
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };

const streamUrl = (key: string) => `/streams/${encodeURIComponent(key)}`;

/** Connections the app opened for live tails (lib/streams/tail.ts names them). */
async function tailConnections(redis: Redis): Promise<number> {
  const list = (await redis.client("LIST")) as string;
  return list.split("\n").filter((line) => line.includes(" name=streamscope-tail ")).length;
}

/** Turns Live on once the page is hydrated (a click on the server-rendered switch does nothing). */
async function turnOnLive(page: Page) {
  const toggle = page.getByRole("switch", { name: "Live" });
  await expect(async () => {
    if ((await toggle.getAttribute("aria-checked")) !== "true") await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "true", { timeout: 2000 });
  }).toPass(LOAD);
  return toggle;
}

test("Live shows entries published while watching within a second, their states, and pause counts new ones", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}live/é {x}`;
  await redis.xadd(key, "*", "seed", "before the tail");
  await redis.xgroup("CREATE", key, "g", "$");
  await page.goto(streamUrl(key));
  await expect(page.getByRole("heading", { name: key })).toBeVisible(LOAD);

  const toggle = await turnOnLive(page);
  await expect(page.locator('[data-live-mode="live"]')).toHaveText("Live", LOAD);

  const live = page.getByRole("table", { name: "Live entries" });
  const row = (id: string) => live.getByRole("row").filter({ hasText: id });
  const latencies: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    const id = (await redis.xadd(key, "*", "order", `#${i}`))!;
    await expect(row(id)).toBeVisible({ timeout: 1000 });
    latencies.push(Date.now() - started);
    ids.push(id);
  }
  console.log(`live tail latency (ms): ${latencies.join(", ")}`);
  await expect(live.getByRole("row").filter({ hasText: "before the tail" })).toHaveCount(0);
  // Newest first.
  const shownIds = await live
    .locator("[data-entry-id]")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-entry-id")));
  expect(shownIds).toEqual([...ids].reverse());
  await expect(page.getByText(/entries\/s$/)).toBeVisible();

  // A second viewer of the same stream shares the one blocking connection.
  const second = await page.context().newPage();
  await second.goto(streamUrl(key));
  await turnOnLive(second);
  await expect(second.locator('[data-live-mode="live"]')).toBeVisible(LOAD);
  const shared = (await redis.xadd(key, "*", "order", "seen twice"))!;
  await expect(
    second.getByRole("table", { name: "Live entries" }).getByRole("row").filter({ hasText: shared }),
  ).toBeVisible(LOAD);
  await expect(row(shared)).toBeVisible();
  expect(await tailConnections(redis)).toBe(1);
  await second.close();
  ids.push(shared);

  // A consumer reads the first one: its badge follows (the tail re-reads states every few seconds).
  await expect(row(ids[0]!).locator('[data-group="g"]')).toHaveAttribute("data-state", "delivered");
  await redis.xreadgroup("GROUP", "g", "alice", "COUNT", 1, "STREAMS", key, ">");
  await expect(row(ids[0]!).locator('[data-group="g"]')).toHaveAttribute("data-state", "pending", { timeout: 15_000 });
  await redis.xack(key, "g", ids[0]!);
  await expect(row(ids[0]!).locator('[data-group="g"]')).toHaveAttribute("data-state", "acked", { timeout: 15_000 });

  await page.getByRole("button", { name: "Pause" }).click();
  const whilePaused: string[] = [];
  for (let i = 0; i < 3; i++) whilePaused.push((await redis.xadd(key, "*", "order", `paused #${i}`))!);
  await expect(page.getByRole("button", { name: "3 new — resume" })).toBeVisible(LOAD);
  await expect(row(whilePaused[0]!)).toHaveCount(0);
  await expect(row(ids[3]!)).toBeVisible();
  await page.getByRole("button", { name: "3 new — resume" }).click();
  for (const id of whilePaused) await expect(row(id)).toBeVisible();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(live).toHaveCount(0);
  // The server notices the browser left: the loop stops and its connection closes.
  await expect.poll(() => tailConnections(redis), LOAD).toBe(0);
});

test("falls back to polling when a proxy cuts the event stream", async ({ page, redis, prefix }) => {
  const key = `${prefix}polled`;
  await redis.xadd(key, "*", "seed", "x");
  await page.route("**/tail**", (route) =>
    route.fulfill({ status: 502, contentType: "text/plain", body: "Bad gateway" }),
  );
  await page.goto(streamUrl(key));
  await expect(page.getByRole("heading", { name: key })).toBeVisible(LOAD);
  await turnOnLive(page);
  await expect(page.locator('[data-live-mode="polling"]')).toHaveText("Live (polling)", LOAD);
  const id = (await redis.xadd(key, "*", "order", "polled"))!;
  await expect(page.getByRole("table", { name: "Live entries" }).getByRole("row").filter({ hasText: id })).toBeVisible(
    LOAD,
  );
});

test("says when the tailed stream is deleted", async ({ page, redis, prefix }) => {
  const key = `${prefix}doomed`;
  await redis.xadd(key, "*", "seed", "x");
  await page.goto(streamUrl(key));
  await expect(page.getByRole("heading", { name: key })).toBeVisible(LOAD);
  await turnOnLive(page);
  await expect(page.locator('[data-live-mode="live"]')).toBeVisible(LOAD);
  await redis.del(key);
  await expect(page.locator('[data-live-mode="stopped"]')).toContainText("No stream named", LOAD);
});
