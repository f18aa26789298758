import { expect, test } from "./fixtures";
import type { Page } from "@playwright/test";

// The machine is shared and often loaded: allow slow renders (no timing is asserted).
test.describe.configure({ timeout: 120_000 });
const LOAD = { timeout: 45_000 };

function rowFor(page: Page, text: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader").filter({ hasText: text }) });
}

/** The data cells of a row in column order: length, groups, pending, lag, oldest pending, TTL, memory, last entry. */
async function cells(page: Page, text: string): Promise<string[]> {
  return (await rowFor(page, text).getByRole("cell").allInnerTexts()).map((t) => t.trim());
}

test("the overview lists seeded streams with their numbers and groups a family of hourly keys", async ({
  page,
  redis,
  prefix,
}) => {
  const payments = `${prefix}payments`;
  await redis.xadd(payments, "*", "amount", "1");
  await redis.xadd(payments, "*", "amount", "2");
  await redis.xadd(payments, "*", "amount", "3");
  await redis.xgroup("CREATE", payments, "billing", "0");
  await redis.xgroup("CREATE", payments, "audit", "$");
  await redis.xreadgroup("GROUP", "billing", "worker-1", "COUNT", 2, "STREAMS", payments, ">");
  await redis.pexpire(payments, 3_600_000);

  const h0 = `${prefix}orders_2026112500`;
  const h1 = `${prefix}orders_2026112501`;
  await redis.xadd(h0, "*", "n", "1");
  await redis.xadd(h0, "*", "n", "2");
  await redis.xgroup("CREATE", h0, "shipping", "0");
  await redis.xreadgroup("GROUP", "shipping", "c", "COUNT", 1, "STREAMS", h0, ">");
  for (let i = 0; i < 3; i++) await redis.xadd(h1, "*", "n", String(i));
  await redis.xgroup("CREATE", h1, "shipping", "0");

  const u1 = `${prefix}user_12345678`;
  const u2 = `${prefix}user_12345679`;
  await redis.xadd(u1, "*", "a", "1");
  await redis.xadd(u2, "*", "a", "1");
  await redis.set(`${prefix}not-a-stream`, "x");

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Streams" })).toBeVisible();
  await page.getByLabel("Filter streams").fill(`${prefix}*`);

  await expect(rowFor(page, payments)).toHaveCount(1);
  const pay = await cells(page, payments);
  expect(pay.slice(0, 4)).toEqual(["3", "2", "2", "≈1"]);
  expect(pay[5]).toMatch(/^(59 min|1 h)/);
  await expect(rowFor(page, payments).getByRole("link", { name: payments })).toHaveAttribute(
    "href",
    `/streams/${encodeURIComponent(payments)}`,
  );

  // The family: one row with totals, members hidden until expanded.
  const family = `${prefix}orders_<yyyyMMddHH>`;
  await expect(rowFor(page, family)).toHaveCount(1);
  expect((await cells(page, family)).slice(0, 4)).toEqual(["5", "2", "1", "≈3"]);
  await expect(rowFor(page, h0)).toHaveCount(0);
  await page.getByRole("button", { name: `Expand ${family}` }).click();
  await expect(rowFor(page, h0)).toHaveCount(1);
  expect((await cells(page, h0)).slice(0, 3)).toEqual(["2", "1", "1"]);
  expect((await cells(page, h1)).slice(0, 3)).toEqual(["3", "1", "0"]);
  const order = await page.getByRole("rowheader").allInnerTexts();
  expect(order.findIndex((t) => t.includes(h1))).toBeLessThan(order.findIndex((t) => t.includes(h0)));
  await expect(page.getByRole("button", { name: `Collapse ${family}` })).toBeVisible();

  // Not a date: no family.
  await expect(rowFor(page, u1)).toHaveCount(1);
  await expect(rowFor(page, u2)).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: "user_<" })).toHaveCount(0);
  await expect(rowFor(page, `${prefix}not-a-stream`)).toHaveCount(0);

  // Tiles cover the filtered streams: 5 streams, 3 pending.
  const summary = page.getByRole("region", { name: "Summary" });
  await expect(summary).toContainText("Streams5");
  await expect(summary).toContainText("Total pending3");

  // Sorting by pending puts the busiest first.
  await page.getByRole("button", { name: "Sort by pending" }).click();
  const sorted = await page.getByRole("rowheader").allInnerTexts();
  expect(sorted[0]).toContain(payments);

  // The README's picture comes from the demo's data (`npm run screenshot`), never from test keys.
  await page.screenshot({ path: ".tmp/overview.png", fullPage: true });
});

test("an unmatched filter shows the empty state", async ({ page, prefix }) => {
  await page.goto("/");
  await page.getByLabel("Filter streams").fill(`${prefix}nothing-here*`);
  await expect(page.getByText("No streams found")).toBeVisible();
});

test("auto-refresh can be paused and its interval changed", async ({ page }) => {
  await page.goto("/");
  await page.getByLabel("Refresh interval").selectOption({ label: "2 s" });
  await page.getByRole("button", { name: "Pause auto-refresh" }).click();
  await expect(page.getByRole("button", { name: "Resume auto-refresh" })).toBeVisible();
  await expect(page.getByText("auto-refresh paused")).toBeVisible();
});

test("keys with odd characters round-trip through the real server's GET /api/streams/{key}", async ({
  request,
  redis,
  prefix,
}) => {
  const keys = ["a/b", "100%", "x%2Fy", "q?x=1", "#frag", "with space", "{tag}", "ünï✓😀", "a+b"].map(
    (k) => `${prefix}${k}`,
  );
  for (const k of keys) await redis.xadd(k, "*", "f", "v");
  for (const k of keys) {
    const res = await request.get(`/api/streams/${encodeURIComponent(k)}`);
    expect(res.status(), k).toBe(200);
    expect(((await res.json()) as { key: string }).key).toBe(k);
  }
  const missing = await request.get(`/api/streams/${encodeURIComponent(`${prefix}missing/key`)}`);
  expect(missing.status()).toBe(404);
  expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
});

test("oldest pending is red only where a message is stuck (idle over the threshold), not where its id is old", async ({
  page,
  request,
  redis,
  prefix,
}) => {
  // A 10 min threshold for this test's streams, so a slow machine cannot make the calm one stuck.
  const saved = await request.put("/api/settings", {
    data: { set: { groups: [{ stream: `${prefix}*`, group: "*", stuckAfterMs: 600_000 }] } },
  });
  expect(saved.ok()).toBe(true);
  try {
    // An hour old by id, but a consumer read it just now: pending, being worked on, not stuck.
    const calm = `${prefix}calm`;
    await redis.xadd(calm, `${Date.now() - 3_600_000}-0`, "n", "1");
    await redis.xgroup("CREATE", calm, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", calm, ">");
    // Read 20 minutes ago and never acked: stuck past the 10 min threshold, though its id is younger.
    const stuck = `${prefix}stuck`;
    const id = (await redis.xadd(stuck, `${Date.now() - 1_500_000}-0`, "n", "1")) as string;
    await redis.xgroup("CREATE", stuck, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", stuck, ">");
    await redis.call("XCLAIM", stuck, "g", "c", "0", id, "IDLE", "1200000", "JUSTID");

    await page.goto("/");
    await page.getByLabel("Filter streams").fill(`${prefix}*`);
    await expect(page.getByRole("columnheader", { name: /oldest pending \(age of id\)/i })).toBeVisible();
    const oldestCell = (key: string) => rowFor(page, key).getByRole("cell").nth(4);
    await expect(oldestCell(calm)).toHaveText(/^(59 min|1 h)/);
    await expect(oldestCell(stuck)).toHaveText(/^2\d min/);
    await expect(oldestCell(stuck)).toHaveAttribute("data-highlight", "stuck");
    await expect(oldestCell(calm)).not.toHaveAttribute("data-highlight", /.*/);
    const summary = page.getByRole("region", { name: "Summary" });
    await expect(summary).toContainText("Stuck messages1");
  } finally {
    await request.put("/api/settings", { data: { reset: ["groups"] } });
  }
});

test("one scrolling table over the whole index: rows far down load as they scroll into view", async ({
  page,
  redis,
  prefix,
}) => {
  test.setTimeout(180_000);
  const n = 1200;
  const key = (i: number) => `${prefix}big:${String(i).padStart(4, "0")}`;
  const pipe = redis.pipeline();
  for (let i = 0; i < n; i++) pipe.xadd(key(i), "*", "n", String(i));
  await pipe.exec();
  try {
    await page.goto("/");
    const table = page.getByRole("table", { name: "Streams" });
    // The table is drawn from fetched data: the page is hydrated, so the filter's input reaches React.
    await expect(table).toBeVisible(LOAD);
    await page.getByLabel("Filter streams").fill(`${prefix}big:*`);
    await expect(table).toHaveAttribute("aria-rowcount", String(n + 1), LOAD);
    await expect(page.getByText("1,200 streams", { exact: true })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Pages" })).toHaveCount(0);
    await expect(rowFor(page, key(0))).toHaveAttribute("aria-rowindex", "2");
    // Only the rows on screen (and a few around them) are drawn.
    expect(await table.getByRole("row").count()).toBeLessThan(80);
    await expect(rowFor(page, key(1150))).toHaveCount(0);

    // Down to the end: the last rows load (their page is fetched once scrolling rests).
    const scroller = table.locator("xpath=..");
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const lastRow = rowFor(page, key(n - 1));
    await expect(lastRow).toBeVisible(LOAD);
    await expect(lastRow).toHaveAttribute("aria-rowindex", String(n + 1));
    await expect(rowFor(page, key(0))).toHaveCount(0);

    // A row far down found by its key after scrolling back up with the wheel.
    await table.hover();
    const slot = table.locator('[aria-rowindex="1152"]');
    for (let i = 0; i < 60 && (await slot.count()) === 0; i++) {
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(100);
    }
    const far = rowFor(page, key(1150));
    await expect(far).toBeVisible(LOAD);
    await expect(far).toHaveAttribute("aria-rowindex", "1152");
    await expect(far.getByRole("link", { name: key(1150) })).toHaveAttribute(
      "href",
      `/streams/${encodeURIComponent(key(1150))}`,
    );
    await expect(far.getByRole("cell").first()).toHaveText("1");
    // No node column on a single server.
    await expect(page.getByRole("columnheader", { name: "Node" })).toHaveCount(0);
  } finally {
    const del = redis.pipeline();
    for (let i = 0; i < n; i++) del.del(key(i));
    await del.exec();
  }
});

test("a stream whose group has a message delivered over the poison threshold is marked, with a link to the radar", async ({
  page,
  redis,
  prefix,
}) => {
  test.setTimeout(180_000);
  const sick = `${prefix}poisoned`;
  const calm = `${prefix}calm`;
  for (const key of [sick, calm]) {
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    await redis.xadd(key, "1-0", "n", "1");
    await redis.xreadgroup("GROUP", "g", "w1", "COUNT", 1, "STREAMS", key, ">");
  }
  await redis.xclaim(sick, "g", "w1", 0, "1-0", "RETRYCOUNT", 836);
  const evaluate = () => page.request.post("/api/alerts/evaluate", { data: {} });
  try {
    // The poison rule decides (threshold 10 by default); each evaluation takes the next streams of the key space.
    await expect
      .poll(
        async () => {
          expect((await evaluate()).ok()).toBe(true);
          const res = await page.request.get("/api/alerts?state=firing");
          const { alerts } = (await res.json()) as { alerts: { rule: string; stream: string }[] };
          return alerts.some((a) => a.rule === "poison" && a.stream === sick);
        },
        { timeout: 60_000 },
      )
      .toBe(true);

    await page.goto("/");
    await page.getByLabel("Filter streams").fill(`${prefix}*`);
    const mark = rowFor(page, sick).getByRole("link", { name: "Poison: a message of group g was delivered 836 times" });
    await expect(mark).toBeVisible(LOAD);
    await expect(mark).toHaveText("poison ×836");
    await expect(mark).toHaveAttribute("href", `/streams/${encodeURIComponent(sick)}/groups/g#poison-radar-title`);
    await expect(rowFor(page, calm)).toHaveCount(1);
    await expect(rowFor(page, calm).getByRole("link", { name: /^Poison:/ })).toHaveCount(0);
    await mark.click();
    await expect(page.getByRole("heading", { name: "Poison radar: deliveries per pending message" })).toBeVisible(LOAD);
  } finally {
    await redis.del(sick, calm);
    // A stream gone resolves its alerts at the next evaluation.
    await evaluate();
  }
});
