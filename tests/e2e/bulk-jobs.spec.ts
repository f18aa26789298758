import type Redis from "ioredis";
import { expect, test } from "./fixtures";

/**
 * A bulk ack by filter runs as a background job: the dialog shows its progress bar moving, the
 * operator cancels it, it stops between batches, and its final counts stay on the group page.
 * The operator picks a pace of 1,000 messages a second, so the 60,000 pending messages take a
 * minute: the job is still running when the progress is read and the cancel arrives, even on a
 * loaded machine.
 */

const TOTAL = 60_000;
const LOADED = { timeout: 30_000 };

test.describe.configure({ timeout: 180_000 });

async function seedPel(redis: Redis, key: string, group: string, consumer: string, n: number): Promise<void> {
  await redis.xgroup("CREATE", key, group, "0", "MKSTREAM");
  for (let start = 0; start < n; start += 10_000) {
    const pipe = redis.pipeline();
    for (let i = start; i < Math.min(n, start + 10_000); i++) pipe.xadd(key, "*", "n", String(i));
    await pipe.exec();
    await redis.xreadgroup("GROUP", group, consumer, "COUNT", 10_000, "STREAMS", key, ">");
  }
}

const pendingCount = async (redis: Redis, key: string, group: string) =>
  Number(((await redis.xpending(key, group)) as [number])[0]);

test("bulk ack by filter: progress moves, cancel stops it, final counts stay visible", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}bulk`;
  await seedPel(redis, key, "g", "w-1", TOTAL);
  expect(await pendingCount(redis, key, "g")).toBe(TOTAL);

  await page.goto(`/streams/${encodeURIComponent(key)}/groups/g`);
  await expect(page.getByText("60,000 pending in the group")).toBeVisible(LOADED);
  await page.getByRole("button", { name: "Ack all matching" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("60,000 messages match", LOADED);
  await dialog.getByRole("combobox", { name: "Pace" }).selectOption({ label: "1,000 per second" });
  await dialog.getByRole("button", { name: "Ack 60,000 messages" }).click();

  // The job answers at once: its bar shows it part way, then moves as batches are done. (Its
  // first state, 0, lasts only until the first poll: the first round starts at once.)
  const bar = dialog.getByRole("progressbar");
  await expect(bar).toBeVisible(LOADED);
  const now = async () => Number(await bar.getAttribute("aria-valuenow"));
  const first = await now();
  expect(first).toBeLessThan(TOTAL);
  await expect.poll(now, LOADED).toBeGreaterThan(first);
  await expect(bar).toHaveAttribute("aria-valuemax", String(TOTAL));
  await expect(dialog.getByText("paced at 1,000/s")).toBeVisible();
  await dialog.getByRole("button", { name: /^Cancel job / }).click();
  await dialog.getByRole("button", { name: "Stop job" }).click();

  // The dialog closes when the job ends; the group page keeps its final counts.
  await expect(dialog).toBeHidden(LOADED);
  const panel = page.getByRole("region", { name: "Running and recent bulk jobs" });
  await expect(panel.getByText("cancelled", { exact: true })).toBeVisible(LOADED);
  const final = panel.getByText(/Final counts: Acked [\d,]+ \(cancelled\)/);
  await expect(final).toBeVisible(LOADED);
  const acked = Number(/Acked ([\d,]+)/.exec((await final.textContent()) ?? "")?.[1]?.replaceAll(",", ""));
  expect(acked).toBeGreaterThan(0);
  expect(acked).toBeLessThan(TOTAL);
  // Nothing half-done: every message is either acked by the job or still pending.
  expect(await pendingCount(redis, key, "g")).toBe(TOTAL - acked);
  await expect(panel.getByRole("progressbar")).toHaveAttribute("aria-valuenow", String(acked));
  await expect(panel.getByText(`${acked.toLocaleString("en-US")} / ${TOTAL.toLocaleString("en-US")}`)).toBeVisible();
  await redis.del(key);
});
