import { readFileSync } from "node:fs";
import { expect, test } from "./fixtures";

// The machine is shared and slow under load: generous timeouts, no timing assertions.
test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };
const MiB = 1024 * 1024;

test("a cut value shows its preview and size; Show all fetches it whole, Download saves it", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}fat`;
  const value = `head-${"z".repeat(2 * MiB - 10)}-tail`;
  await redis.xadd(key, "3000-0", "payload", value, "note", "small");
  await page.goto(`/streams/${encodeURIComponent(key)}`);

  const row = page.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: "3000-0" });
  await expect(row).toBeVisible(LOAD);
  await expect(row).toContainText("small");
  const cut = row.locator("[data-truncated-value]");
  await expect(cut).toContainText("head-zzz");
  await expect(cut).toContainText("2.0 MiB");
  await expect(cut).not.toContainText("-tail");

  const download = page.waitForEvent("download");
  await row.getByRole("button", { name: /^Download 2\.0 MiB of field 1 of 3000-0/ }).click();
  const file = await download;
  const saved = readFileSync((await file.path())!, "utf8");
  expect(saved.length).toBe(value.length);
  expect(saved.endsWith("-tail")).toBe(true);

  const showAll = row.getByRole("button", { name: /^Show all 2\.0 MiB of field 1 of 3000-0/ });
  await showAll.click();
  await expect(cut).toContainText("-tail", LOAD);
  await expect(showAll).toHaveCount(0);
  expect(await cut.evaluate((el) => el.textContent?.length ?? 0)).toBeGreaterThanOrEqual(value.length);
});
