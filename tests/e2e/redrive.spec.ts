import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 120_000 });
const LOAD = { timeout: 45_000 };

test("a dead-lettered message is redriven to its origin stream from the dead-letter stream's page", async ({
  page,
  redis,
  prefix,
}) => {
  const origin = `${prefix}payments`;
  const dlq = `${origin}:dlq`;
  await redis.xgroup("CREATE", origin, "ledger", "$", "MKSTREAM");
  // What dead-letter writes: the original fields, then the metadata naming the origin.
  const id = await redis.xadd(
    dlq,
    "*",
    "payment",
    "p-42",
    "streamscope-origin-stream",
    origin,
    "streamscope-origin-group",
    "ledger",
    "streamscope-origin-id",
    "1-0",
    "streamscope-deliveries",
    "5",
    "streamscope-reason",
    "max deliveries",
  );
  // An ordinary entry in the same stream has no Redrive button.
  await redis.xadd(dlq, "*", "note", "not a copy");

  await page.goto(`/streams/${encodeURIComponent(dlq)}`);
  await expect(page.getByRole("heading", { name: dlq })).toBeVisible(LOAD);
  await expect(page.getByRole("button", { name: /^Redrive / })).toHaveCount(1, LOAD);
  await page.getByRole("button", { name: `Redrive ${id}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(origin);
  await dialog.getByRole("button", { name: `Redrive to ${origin}` }).click();

  await expect
    .poll(async () => (await redis.xrange(dlq, "-", "+")).map(([entryId]) => entryId), LOAD)
    .not.toContain(id);
  const moved = await redis.xrange(origin, "-", "+");
  expect(moved).toHaveLength(1);
  expect(moved[0]![1].slice(0, 2)).toEqual(["payment", "p-42"]);
  await expect(page.getByRole("button", { name: `Redrive ${id}` })).toHaveCount(0, LOAD);
});
