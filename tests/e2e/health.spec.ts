import { controlRedis, expect, test } from "./fixtures";

test("Redis stopped mid-session shows the banner, which goes away when Redis is back", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Streams" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Redis unavailable" })).toHaveCount(0);

  await controlRedis("stop");
  try {
    await expect(page.getByRole("alert").filter({ hasText: "Redis unavailable" })).toBeVisible({ timeout: 15_000 });
  } finally {
    await controlRedis("start");
  }
  await expect(page.getByRole("alert").filter({ hasText: "Redis unavailable" })).toHaveCount(0, { timeout: 20_000 });
});
