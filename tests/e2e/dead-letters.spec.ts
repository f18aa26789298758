import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 120_000 });
const LOAD = { timeout: 45_000 };

test("the dead-letter stream's page lists where each copy came from and why, and sends back one, the selected and all matching", async ({
  page,
  redis,
  prefix,
}) => {
  const orders = `${prefix}orders`;
  const payments = `${prefix}payments`;
  const dlq = `${prefix}dead-letters`;
  // What the dead-letter action writes: the original fields, then the metadata.
  const dead = (origin: string, n: number, reason: string) =>
    redis.xadd(
      dlq,
      "*",
      "n",
      String(n),
      "streamscope-origin-stream",
      origin,
      "streamscope-origin-group",
      "g",
      "streamscope-origin-id",
      `1-${n}`,
      "streamscope-deliveries",
      String(10 + n),
      "streamscope-dead-lettered-at",
      String(Date.now()),
      "streamscope-reason",
      reason,
    );
  await dead(orders, 0, "unknown currency XXX");
  const single = (await dead(payments, 1, "HTTP 410 Gone"))!;
  await dead(orders, 2, "HTTP 410 Gone");
  const selected = (await dead(payments, 3, "HTTP 410 Gone"))!;

  await page.goto(`/streams/${encodeURIComponent(dlq)}`);
  const view = page.getByRole("region", { name: "Dead letters" });
  await expect(view.getByRole("heading", { name: "Dead letters" })).toBeVisible(LOAD);
  const table = view.getByRole("table", { name: "Dead-lettered messages" });
  await expect(table.getByRole("row")).toHaveCount(5, LOAD);
  const row = table.getByRole("row").filter({ hasText: single });
  await expect(row).toContainText(payments);
  await expect(row).toContainText("HTTP 410 Gone");
  await expect(row).toContainText("11");
  // The entries browser's own "Redrive <id>" buttons stay the only ones of that name.
  await expect(page.getByRole("button", { name: /^Redrive / })).toHaveCount(4, LOAD);

  // All matching one origin: the dialog counts first, then moves them.
  await view.getByLabel("Origin stream").selectOption(orders);
  await view.getByRole("button", { name: "Send back all matching…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("2 dead letters match", LOAD);
  await dialog.getByRole("button", { name: "Send back all matching", exact: true }).click();
  await expect(page.getByText("Sent 2 dead letters back to their origin")).toBeVisible(LOAD);
  await expect.poll(async () => redis.xlen(orders), LOAD).toBe(2);
  await expect(table.getByRole("row")).toHaveCount(3, LOAD);

  // One, by its own button.
  await table.getByRole("button", { name: `Send back ${single}`, exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Send back 1 dead letter", exact: true }).click();
  await expect.poll(async () => (await redis.xrange(payments, "-", "+")).length, LOAD).toBe(1);

  // The selected ones.
  await table.getByRole("checkbox", { name: `Select dead letter ${selected}` }).check();
  await view.getByRole("button", { name: "Send back selected (1)" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Send back 1 dead letter", exact: true }).click();
  await expect.poll(async () => redis.xlen(dlq), LOAD).toBe(0);
  expect((await redis.xrange(payments, "-", "+")).map(([, f]) => f[1])).toEqual(["1", "3"]);
  // Nothing left that names another origin: the view goes away.
  await expect(page.getByRole("region", { name: "Dead letters" })).toHaveCount(0, LOAD);
});
