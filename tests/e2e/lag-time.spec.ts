/** Lag in time: the age of the oldest entry a group has not been handed yet, on the overview and the group page. */
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 120_000 });
const LOAD = { timeout: 45_000 };

test("a group three hours behind shows its lag in time on the overview and on its page; a caught-up one shows none", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}lagging`;
  const threeHoursAgo = Date.now() - 3 * 3_600_000;
  for (let i = 0; i < 3; i++) await redis.xadd(key, `${threeHoursAgo + i}-0`, "n", String(i));
  await redis.xgroup("CREATE", key, "behind", "0");
  await redis.xgroup("CREATE", key, "current", "$");
  // A fresh entry, so the last entry's age is not what the row shows as three hours; "current" reads it.
  await redis.xadd(key, "*", "n", "new");
  await redis.xreadgroup("GROUP", "current", "c", "COUNT", 10, "STREAMS", key, ">");
  await redis.xack(key, "current", ...(await redis.xrange(key, "-", "+")).slice(-1).map(([id]) => id));

  await page.goto("/");
  await page.getByLabel("Filter streams").fill(key);
  const row = page.getByRole("row").filter({ has: page.getByRole("rowheader").filter({ hasText: key }) });
  await expect(row).toContainText(/3 h \d+ min/, LOAD);

  await page.goto(`/streams/${encodeURIComponent(key)}/groups/behind`);
  const lagTile = page.getByText("Lag (time)", { exact: true }).locator("..");
  await expect(lagTile).toContainText(/3 h \d+ min/, LOAD);
  await expect(page.getByText("Drain", { exact: true }).locator("..")).toContainText(
    /steady|drains in about|falling behind|caught up/,
  );

  await page.goto(`/streams/${encodeURIComponent(key)}/groups/current`);
  await expect(page.getByText("Lag (time)", { exact: true }).locator("..")).toContainText("0 ms", LOAD);
  await redis.del(key);
});
