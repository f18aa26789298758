import { expect, test } from "./fixtures";

// The machine is shared and often loaded: allow slow renders (no timing is asserted).
test.describe.configure({ timeout: 120_000 });
const LOAD = { timeout: 45_000 };

test("Problems first: key order and why while the worker is off; after a tick the stuck stream from block 2 is row 1", async ({
  page,
  request,
  redis,
  prefix,
}) => {
  test.setTimeout(180_000);
  // More streams than one block of 200 rows; the stuck one sorts last by key.
  const n = 250;
  const key = (i: number) => `${prefix}pf:${String(i).padStart(3, "0")}`;
  const stuck = key(n - 1);
  const pipe = redis.pipeline();
  for (let i = 0; i < n; i++) pipe.xadd(key(i), "*", "n", String(i));
  await pipe.exec();
  // Read two minutes ago and never acked: stuck past the default 30 s threshold.
  await redis.xgroup("CREATE", stuck, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", stuck, ">");
  const [[id]] = (await redis.xpending(stuck, "g", "-", "+", 1)) as [[string]];
  await redis.call("XCLAIM", stuck, "g", "c", "0", id, "IDLE", "120000", "JUSTID");
  try {
    await page.goto("/");
    const table = page.getByRole("table", { name: "Streams" });
    await expect(table).toBeVisible(LOAD);
    await page.getByLabel("Filter streams").fill(`${prefix}pf:*`);
    await expect(table).toHaveAttribute("aria-rowcount", String(n + 1), LOAD);
    const firstRow = table.getByRole("rowheader").first();
    await expect(firstRow).toContainText(key(0));
    await expect(page.getByText(/Rows follow key order in blocks of 200/)).toBeVisible();

    const toggle = page.getByRole("button", { name: "Problems first" });
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    // The e2e server runs without the worker: no stuck snapshot, so key order, and the page says why.
    const line = page.getByRole("status").filter({ hasText: /^Problems first/ });
    await expect(line).toContainText("needs the worker's stuck snapshot", LOAD);
    await expect(line).toContainText("showing key order");
    await expect(firstRow).toContainText(key(0));

    // One tick on demand keeps the snapshot; the next read puts the stuck stream first.
    const tick = await request.post("/api/worker", { data: {} });
    expect(tick.ok(), await tick.text()).toBe(true);
    await page.getByRole("button", { name: "Refresh now" }).click();
    await expect(line).toContainText(/problems as of \d+ s ago/, LOAD);
    await expect(firstRow).toContainText(stuck);
    await expect(page.getByText(/Rows come problems first .* blocks of 200/)).toBeVisible();
    await expect(
      table.getByRole("row").filter({ has: page.getByRole("rowheader").filter({ hasText: stuck }) }),
    ).toHaveAttribute("aria-rowindex", "2");

    // Off again: key order, the stuck stream back at the end.
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    await expect(line).toHaveCount(0);
    await expect(firstRow).toContainText(key(0), LOAD);
  } finally {
    const del = redis.pipeline();
    for (let i = 0; i < n; i++) del.del(key(i));
    await del.exec();
  }
});
