import { expect, test } from "./fixtures";

// The machine is shared and often loaded: allow slow renders (no timing is asserted).
test.setTimeout(120_000);
const SLOW = { timeout: 30_000 };

test("a stuck message raises the banner; the alert links to the filtered pending explorer and can be silenced", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}orders/eu 1`;
  await redis.xgroup("CREATE", key, "workers", "0", "MKSTREAM");
  for (let i = 0; i < 3; i++) await redis.xadd(key, "*", "n", String(i));
  await redis.xreadgroup("GROUP", "workers", "crashy", "COUNT", 3, "STREAMS", key, ">");
  const [[id]] = (await redis.xrange(key, "-", "+", "COUNT", 1)) as [[string, string[]]];
  await redis.xclaim(key, "workers", "crashy", 0, id, "IDLE", 600_000);

  await page.goto("/");
  const evaluated = await page.request.post("/api/alerts/evaluate", { data: {} });
  expect(evaluated.ok()).toBe(true);

  const banner = page.getByRole("status").filter({ hasText: /alerts? firing/ });
  await expect(banner).toBeVisible(SLOW);
  await banner.getByRole("link", { name: "View alerts" }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();

  const row = page.getByRole("row").filter({ hasText: "long-pending" }).filter({ hasText: key });
  await expect(row).toBeVisible(SLOW);
  await expect(row).toContainText("1 message pending over 30 s");
  const expectedHref = `/streams/${encodeURIComponent(key)}/groups/workers?minIdleMs=30000`;
  await expect(row.getByRole("link", { name: "Open pending messages" })).toHaveAttribute("href", expectedHref);

  const subject = `long-pending on ${key} / workers`;
  await row.getByLabel(`Choose how long to silence ${subject}`).selectOption({ label: "15 min" });
  await row.getByRole("button", { name: `Silence ${subject}` }).click();
  await expect(row.getByRole("button", { name: `Unsilence ${subject}` })).toBeVisible();
  await expect(row).toContainText("Silenced until");
  await row.getByRole("button", { name: `Unsilence ${subject}` }).click();
  await expect(row.getByRole("button", { name: `Silence ${subject}` })).toBeVisible();

  await row.getByRole("link", { name: "Open pending messages" }).click();
  await expect(page).toHaveURL(
    (url) =>
      url.pathname === `/streams/${encodeURIComponent(key)}/groups/workers` &&
      url.searchParams.get("minIdleMs") === "30000",
  );

  // An ack resolves it on the next evaluation.
  await redis.xack(key, "workers", id);
  expect((await page.request.post("/api/alerts/evaluate", { data: {} })).ok()).toBe(true);
  await page.goto("/alerts");
  const resolved = page.getByRole("table", { name: "Resolved alerts" }).getByRole("row").filter({ hasText: key });
  await expect(resolved).toContainText("resolved", SLOW);
});

test("charts render from sampled history", async ({ page, redis, prefix }) => {
  const key = `${prefix}payments`;
  await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
  await redis.xadd(key, "*", "n", "1");
  expect((await page.request.post("/api/history/sample", { data: {} })).ok()).toBe(true);
  for (let i = 0; i < 5; i++) await redis.xadd(key, "*", "n", String(i));
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", 4, "STREAMS", key, ">");
  expect((await page.request.post("/api/history/sample", { data: {} })).ok()).toBe(true);

  await page.goto(`/streams/${encodeURIComponent(key)}/history?group=g`);
  await expect(page.getByTestId("history-sample-count")).toContainText("2 samples", SLOW);
  const pendingChart = page.getByRole("figure", { name: "Pending", exact: true });
  await expect(pendingChart).toBeVisible();
  await expect(pendingChart.locator(".recharts-line-curve").first()).toBeVisible();
  await expect(page.getByRole("figure", { name: "Lag", exact: true })).toBeVisible();
  // Counts on an integer axis: no tick like 0.5.
  await expect(
    pendingChart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value").first(),
  ).toBeVisible();
  const countLabels = await pendingChart
    .locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")
    .allTextContents();
  expect(countLabels.length).toBeGreaterThan(0);
  expect(countLabels.filter((l) => l.includes("."))).toEqual([]);
  // Time ticks never repeat.
  const timeLabels = await pendingChart
    .locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value")
    .allTextContents();
  expect(new Set(timeLabels).size).toBe(timeLabels.length);
  await expect(page.getByRole("figure", { name: "Messages in vs acked per second" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Oldest pending age (s)" })).toBeVisible();

  await page.getByRole("button", { name: "Show the last 24 h" }).click();
  await expect(page.getByRole("button", { name: "Show the last 24 h" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("history-sample-count")).toContainText("2 samples", SLOW);
  await expect(page.getByRole("region", { name: "How long messages usually stay pending" })).toBeVisible();
});
