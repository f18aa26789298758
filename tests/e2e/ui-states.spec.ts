/** What the stream page shows and how it is read: state words and legend, quiet expand, keys, times, dot keys. */
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };

test("states read 'delivered to stream', 'pending', 'acked' with a visible legend; rows expand quietly", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}states`;
  await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
  for (let i = 0; i < 3; i++) await redis.xadd(key, `${1000 + i}-0`, "payload", JSON.stringify({ n: i, tags: ["a"] }));
  await redis.xreadgroup("GROUP", "g", "alice", "COUNT", 2, "STREAMS", key, ">");
  await redis.xack(key, "g", "1000-0");
  await page.goto(`/streams/${encodeURIComponent(key)}`);
  const table = page.getByRole("table", { name: "Entries" });
  const state = (id: string) => table.getByRole("row").filter({ hasText: id }).locator('[data-group="g"]');
  await expect(state("1002-0")).toHaveText("g:delivered to stream", LOAD);
  await expect(state("1001-0")).toContainText("pending · alice");
  await expect(state("1000-0")).toHaveText("g:acked");
  await expect(page.getByText(/\bdelivered \(waiting\)|acked \/ skipped/)).toHaveCount(0);

  const legend = page.getByRole("definition").filter({ hasText: "not yet read by this group" }).first();
  await expect(legend).toBeVisible();
  await expect(page.getByText("not acked yet", { exact: false }).first()).toBeVisible();
  await expect(page.getByText("skipped: the group was created or moved", { exact: false }).first()).toBeVisible();

  // No "Expand <id>" text on the rows; the chevron is named for assistive tech only.
  await expect(table.getByText(/Expand \d/)).toHaveCount(0);
  const row = table.getByRole("row").filter({ hasText: "1001-0" });
  const chevron = row.getByRole("button", { name: "Expand 1001-0" });
  await expect(chevron).toBeVisible();
  expect((await chevron.innerText()).trim()).toBe("");
  await chevron.click();
  await expect(row.locator("pre")).toContainText('"tags": [');
  await row.getByRole("button", { name: "Collapse 1001-0" }).click();
  await expect(row.locator("pre")).toHaveCount(0);
  // Clicking the row itself expands it too.
  await row.getByRole("cell").nth(1).click();
  await expect(row.locator("pre")).toContainText('"tags": [');
});

test("keys: / focuses the filter, j/k move through rows with a visible focus, Enter opens, ? lists the keys", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}keys`;
  for (let i = 0; i < 3; i++) await redis.xadd(key, `${2000 + i}-0`, "payload", JSON.stringify({ n: i }));
  await page.goto(`/streams/${encodeURIComponent(key)}`);
  const table = page.getByRole("table", { name: "Entries" });
  await expect(table.getByRole("row").filter({ hasText: "2002-0" })).toBeVisible(LOAD);

  await page.locator("body").press("/");
  await expect(page.getByLabel("Value contains")).toBeFocused();
  await page.getByLabel("Value contains").press("Escape");
  await page.locator("body").click({ position: { x: 1, y: 1 } });

  await page.keyboard.press("j");
  const first = table.getByRole("row").filter({ hasText: "2002-0" });
  await expect(first).toBeFocused();
  expect(await first.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
  await page.keyboard.press("j");
  await expect(table.getByRole("row").filter({ hasText: "2001-0" })).toBeFocused();
  await page.keyboard.press("k");
  await expect(first).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(first.getByRole("button", { name: "Collapse 2002-0" })).toBeVisible();

  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Focus the filter");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // On the overview, Enter on a row opens its stream.
  await page.goto(`/?match=${encodeURIComponent(key)}`);
  await page.getByLabel("Filter streams").fill(key);
  await expect(page.getByRole("link", { name: key })).toBeVisible(LOAD);
  await page.locator("body").click({ position: { x: 1, y: 1 } });
  await page.keyboard.press("j");
  await expect(page.getByRole("row").filter({ has: page.getByRole("link", { name: key }) })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/streams/${encodeURIComponent(key)}$`), LOAD);
});

test.describe("in another time zone", () => {
  test.use({ timezoneId: "Asia/Tokyo" });
  test("times show in the viewer's time zone with UTC on hover", async ({ page, redis, prefix }) => {
    const key = `${prefix}tz`;
    const ms = Date.UTC(2026, 10, 25, 23, 3, 7);
    await redis.xadd(key, `${ms}-0`, "f", "v");
    await page.goto(`/streams/${encodeURIComponent(key)}`);
    const time = page.getByRole("table", { name: "Entries" }).locator("time").first();
    await expect(time).toHaveText("2026-11-26 08:03:07 GMT+9", LOAD);
    await expect(time).toHaveAttribute("title", "2026-11-25 23:03:07Z (UTC)");
  });
});

test.describe("a dark system setting", () => {
  test.use({ colorScheme: "dark" });
  test("gives a dark page", async ({ page }) => {
    await page.goto("/settings");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await page.evaluate(() => {
      const probe = document.createElement("canvas").getContext("2d")!;
      probe.fillStyle = getComputedStyle(document.body).backgroundColor;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
      return (r! + g! + b!) / 3;
    });
    expect(light, `body background ${bg}`).toBeLessThan(60);
  });
});

test("streams named exactly . and .. open, from the overview link and by URL", async ({ page, redis }) => {
  for (const key of [".", ".."]) {
    await redis.del(key);
    await redis.xadd(key, "5-0", "name", `key ${key}`);
    await redis.xgroup("CREATE", key, "g", "0");
  }
  try {
    for (const key of [".", ".."]) {
      await page.goto(`/?match=${encodeURIComponent(key)}`);
      await page.getByLabel("Filter streams").fill(key);
      const link = page.getByRole("link", { name: key, exact: true });
      await expect(link).toHaveAttribute("href", `/streams/~${key}`, LOAD);
      await link.click();
      await expect(page.getByRole("heading", { name: key, exact: true })).toBeVisible(LOAD);
      await expect(page.getByRole("table", { name: "Entries" })).toContainText(`key ${key}`, LOAD);
      await page.getByRole("table", { name: "Consumer groups" }).getByRole("link", { name: "g" }).click();
      await expect(page).toHaveURL(new RegExp(`/streams/~${key.replace(/\./g, "\\.")}/groups/g$`), LOAD);
      await expect(page.getByRole("heading", { name: /g/ }).first()).toBeVisible(LOAD);
    }
  } finally {
    await redis.del(".", "..");
  }
});
