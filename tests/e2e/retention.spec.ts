/** The Retention panel of a family row: members without TTL, at risk, created by a producer, memory by member. */
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };

test("expanding a family row shows its retention check", async ({ page, redis, prefix }) => {
  const h0 = `${prefix}orders_2026112500`;
  const h1 = `${prefix}orders_2026112501`;
  const h2 = `${prefix}orders_2026112502`;
  // h0: created by a producer without TTL.
  await redis.xgroup("CREATE", h0, "shipping", "0", "MKSTREAM");
  await redis.xadd(h0, "*", "n", "0");
  // h1: expires within a few minutes with 2 pending and 3 never delivered.
  for (let i = 0; i < 5; i++) await redis.xadd(h1, "*", "n", String(i));
  await redis.xgroup("CREATE", h1, "shipping", "0");
  await redis.xreadgroup("GROUP", "shipping", "c", "COUNT", 2, "STREAMS", h1, ">");
  await redis.pexpire(h1, 300_000);
  // h2: fine.
  await redis.xadd(h2, "*", "n", "1");
  await redis.pexpire(h2, 3_600_000);

  await page.goto("/");
  await page.getByLabel("Filter streams").fill(`${prefix}*`);
  const family = `${prefix}orders_<yyyyMMddHH>`;
  await page.getByRole("button", { name: `Expand ${family}` }).click(LOAD);

  const panel = page.getByRole("region", { name: `Retention of ${family}` });
  await expect(panel.getByRole("heading", { name: "Retention" })).toBeVisible();
  await expect(panel).toContainText("3 members, 1 without TTL, 1 at risk", LOAD);
  await expect(panel.getByRole("listitem").filter({ hasText: h1 }).first()).toHaveText(
    new RegExp(`^${h1}: expires in (4|5) min .* with 5 unprocessed$`),
  );
  await expect(panel.getByRole("listitem").filter({ hasText: h0 }).first()).toHaveText(`${h0}: no TTL: never expires`);
  await expect(panel).toContainText(`${h0}: created by a producer without a TTL`);
  await expect(panel.getByRole("table", { name: "Memory by member" }).getByRole("row")).toHaveCount(3);

  await page.getByRole("button", { name: `Collapse ${family}` }).click();
  await expect(panel).toHaveCount(0);
});
