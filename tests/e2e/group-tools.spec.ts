/** The group page's poison radar and consumer reaper, in Chromium against the e2e server's Redis. */
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };
const groupUrl = (key: string) => `/streams/${encodeURIComponent(key)}/groups/g`;

test("poison radar: names the messages delivered again and again, and dead-letters them after a count", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}poison`;
  for (let i = 1; i <= 8; i++) await redis.xadd(key, `${i}-0`, "order", `o-${i}`);
  await redis.xgroup("CREATE", key, "g", "0");
  await redis.xreadgroup("GROUP", "g", "w1", "COUNT", 8, "STREAMS", key, ">");
  await redis.xclaim(key, "g", "w1", 0, "3-0", "RETRYCOUNT", 836);
  await redis.xclaim(key, "g", "w1", 0, "5-0", "RETRYCOUNT", 810);

  await page.goto(groupUrl(key));
  const radar = page.getByRole("region", { name: "Poison radar: deliveries per pending message" });
  await expect(radar.getByTestId("poison-headline")).toHaveText(
    "2 messages were delivered more than 10 times (highest: 836): possible poison messages.",
    LOAD,
  );
  const top = radar.getByRole("table", { name: "Messages delivered most often" });
  await expect(top.getByRole("row").nth(1)).toContainText("3-0");
  await expect(top.getByRole("row").nth(1)).toContainText("836");
  await expect(top.getByRole("row").nth(1)).toContainText("o-3");

  await radar.getByRole("button", { name: "Dead-letter every message delivered more than 10 times" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("2 messages match", LOAD);
  await dialog.getByRole("button", { name: "Dead-letter 2 messages" }).click();
  await expect(dialog).toBeHidden(LOAD);
  expect(await redis.xlen(`${key}:dlq`)).toBe(2);
  const left = (await redis.xpending(key, "g", "-", "+", 100)) as [string][];
  expect(left.map(([id]) => id)).toEqual(["1-0", "2-0", "4-0", "6-0", "7-0", "8-0"]);
});

test("reaper: a preview, then a confirmed reap hands messages to the live consumer and deletes the dead", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}reap`;
  for (let i = 1; i <= 6; i++) await redis.xadd(key, `${i}-0`, "n", String(i));
  await redis.xgroup("CREATE", key, "g", "0");
  await redis.xreadgroup("GROUP", "g", "dead", "COUNT", 5, "STREAMS", key, ">");
  await redis.xgroup("CREATECONSUMER", key, "g", "leaked");
  await new Promise((r) => setTimeout(r, 2500));
  await redis.xreadgroup("GROUP", "g", "live", "COUNT", 1, "STREAMS", key, ">");

  await page.goto(groupUrl(key));
  await page.getByText("Reap dead consumers").click();
  await page.getByLabel("Inactive for at least (minutes)").fill("0.03");
  // Named, the live consumer is never a candidate, however slow this machine makes the clicks.
  await page.getByLabel("Hand messages to").selectOption("live");
  await page.getByRole("button", { name: "Preview reap" }).click();
  const preview = page.getByRole("region", { name: "Reap preview" });
  await expect(preview.getByTestId("reap-summary")).toHaveText(
    "Would hand 5 messages to live and delete 2 of 2 inactive consumers.",
    LOAD,
  );
  await preview.getByRole("button", { name: "Reap 2 consumers" }).click();
  const dialog = page.getByRole("dialog", { name: "Reap consumers of g?" });
  await dialog.getByRole("button", { name: "Reap consumers" }).click();
  await expect(preview.getByTestId("reap-summary")).toHaveText("Handed 5 messages to live, deleted 2 consumers.", LOAD);
  const consumers = (await redis.xinfo("CONSUMERS", key, "g")) as unknown[][];
  expect(consumers.map((c) => [c[1], c[3]])).toEqual([["live", 6]]);
});
