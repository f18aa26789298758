/** "What holds this stream's memory?" on the stream page: the blocker in words, then a confirmed safe trim. */
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };

test("names the group that holds the stream, and trims only what every group acked after a confirmation", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}trimpanel`;
  const pipe = redis.pipeline();
  for (let i = 1; i <= 300; i++) pipe.xadd(key, `${i}-0`, "n", String(i));
  await pipe.exec();
  await redis.xgroup("CREATE", key, "fast", "$");
  await redis.xgroup("CREATE", key, "slow", "0");
  const read = (await redis.xreadgroup("GROUP", "slow", "bob", "COUNT", 200, "STREAMS", key, ">")) as [
    string,
    [string, string[]][],
  ][];
  await redis.xack(key, "slow", ...read[0]![1].map(([id]) => id));

  await page.goto(`/streams/${encodeURIComponent(key)}`);
  const panel = page.getByRole("region", { name: "What holds this stream's memory?" });
  await expect(panel.getByTestId("trim-headline")).toHaveText(
    "200 entries can be trimmed safely; the oldest blocker: group slow has not read past id 200-0: its lag keeps 100 entries alive.",
    LOAD,
  );
  await expect(panel.getByRole("table", { name: "What each group keeps" }).getByRole("row")).toHaveCount(3);

  await panel.getByRole("button", { name: "Trim 200 acked entries" }).click();
  const dialog = page.getByRole("dialog", { name: `Trim ${key}?` });
  await expect(dialog).toContainText("200 entries can be trimmed safely");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await redis.xlen(key)).toBe(300);

  await panel.getByRole("button", { name: "Trim 200 acked entries" }).click();
  await dialog.getByRole("button", { name: "Trim acked entries" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Removed" })).toContainText("below 200-1", LOAD);
  const left = await redis.xlen(key);
  expect(left).toBeLessThan(300);
  expect(left).toBeGreaterThanOrEqual(100);
  const [first] = await redis.xrange(key, "-", "+", "COUNT", 1);
  expect(Number(first![0].split("-")[0])).toBeLessThanOrEqual(201);
});
