import { readFileSync } from "node:fs";
import type Redis from "ioredis";
import { expect, test } from "./fixtures";

// The machine is shared and slow under load: generous timeouts, no timing assertions.
test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };

const streamUrl = (key: string, id?: string) =>
  `/streams/${encodeURIComponent(key)}${id ? `?id=${encodeURIComponent(id)}` : ""}`;

/** 1000-0..1005-0; g1: 1000 acked, 1001 pending alice (2 deliveries), 1002 pending bob, rest delivered; g2: 1000-1002 acked, 1003 pending carol. */
async function seedStates(redis: Redis, key: string) {
  await redis.xgroup("CREATE", key, "g1", "0", "MKSTREAM");
  await redis.xgroup("CREATE", key, "g2", "0");
  for (let i = 0; i < 6; i++)
    await redis.xadd(key, `${1000 + i}-0`, "order", `#${i}`, "payload", JSON.stringify({ n: i, tags: ["a", "b"] }));
  await redis.xreadgroup("GROUP", "g1", "alice", "COUNT", 2, "STREAMS", key, ">");
  await redis.xack(key, "g1", "1000-0");
  await redis.xreadgroup("GROUP", "g1", "alice", "STREAMS", key, "0");
  await redis.xreadgroup("GROUP", "g1", "bob", "COUNT", 1, "STREAMS", key, ">");
  await redis.xreadgroup("GROUP", "g2", "carol", "COUNT", 4, "STREAMS", key, ">");
  await redis.xack(key, "g2", "1000-0", "1001-0", "1002-0");
}

test("shows each entry's state per group with consumer and delivery count", async ({ page, redis, prefix }) => {
  const key = `${prefix}orders/é {x}?#%`;
  await seedStates(redis, key);
  await page.goto(streamUrl(key));
  await expect(page.getByRole("heading", { name: key })).toBeVisible(LOAD);
  await expect(page.getByRole("table", { name: "Consumer groups" }).getByRole("link", { name: "g1" })).toHaveAttribute(
    "href",
    `/streams/${encodeURIComponent(key)}/groups/g1`,
    LOAD,
  );

  const row = (id: string) => page.getByRole("table", { name: "Entries" }).getByRole("row").filter({ hasText: id });
  const state = (id: string, group: string) => row(id).locator(`[data-group="${group}"]`);
  await expect(row("1005-0")).toBeVisible(LOAD);
  await expect(state("1000-0", "g1")).toHaveText(/acked$/);
  await expect(state("1001-0", "g1")).toContainText("pending · alice");
  await expect(state("1001-0", "g1")).toContainText("2 deliveries");
  await expect(state("1002-0", "g1")).toContainText("pending · bob");
  await expect(state("1002-0", "g1")).toContainText("1 delivery");
  await expect(state("1004-0", "g1")).toHaveText(/delivered to stream$/);
  await expect(state("1002-0", "g2")).toHaveText(/acked$/);
  await expect(state("1003-0", "g2")).toContainText("pending · carol");
  await expect(state("1005-0", "g2")).toHaveText(/delivered to stream$/);

  await row("1001-0").getByRole("button", { name: "Expand 1001-0" }).click();
  await expect(row("1001-0").locator("pre")).toContainText('"tags": [');

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON" }).click();
  const file = readFileSync((await (await download).path())!, "utf8");
  const exported = JSON.parse(file) as { stream: string; entries: { id: string }[] };
  expect(exported.stream).toBe(key);
  expect(exported.entries.map((e) => e.id)).toEqual(["1005-0", "1004-0", "1003-0", "1002-0", "1001-0", "1000-0"]);

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const csv = readFileSync((await (await csvDownload).path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("id,field_1,value_1,field_2,value_2");
  expect(csv).toContain("1000-0,order,#0,payload,");
});

test("pages both ways and deep-links to a highlighted id", async ({ page, redis, prefix }) => {
  const key = `${prefix}paged`;
  const pipeline = redis.pipeline();
  for (let i = 1; i <= 25; i++) pipeline.xadd(key, `${i}-0`, "i", String(i));
  await pipeline.exec();

  await page.goto(streamUrl(key));
  await expect(page.getByRole("table", { name: "Entries" })).toBeVisible(LOAD);
  await page.getByLabel("Page size").selectOption("10");
  const ids = () =>
    page
      .getByRole("table", { name: "Entries" })
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-entry-id")));
  await expect
    .poll(ids, LOAD)
    .toEqual(["25-0", "24-0", "23-0", "22-0", "21-0", "20-0", "19-0", "18-0", "17-0", "16-0"]);
  await expect(page.getByRole("button", { name: "Newer" })).toBeDisabled();
  await page.getByRole("button", { name: "Older" }).click();
  await expect.poll(ids, LOAD).toEqual(["15-0", "14-0", "13-0", "12-0", "11-0", "10-0", "9-0", "8-0", "7-0", "6-0"]);
  await page.getByRole("button", { name: "Older" }).click();
  await expect.poll(ids, LOAD).toEqual(["5-0", "4-0", "3-0", "2-0", "1-0"]);
  await expect(page.getByRole("button", { name: "Older" })).toBeDisabled();
  await page.getByRole("button", { name: "Newer" }).click();
  await expect.poll(ids, LOAD).toEqual(["15-0", "14-0", "13-0", "12-0", "11-0", "10-0", "9-0", "8-0", "7-0", "6-0"]);

  await page.getByRole("button", { name: "Show oldest first" }).click();
  await expect.poll(ids, LOAD).toEqual(["1-0", "2-0", "3-0", "4-0", "5-0", "6-0", "7-0", "8-0", "9-0", "10-0"]);

  await page.getByLabel("Go to id").fill("7-0");
  await page.getByRole("button", { name: "Go" }).click();
  await expect(page).toHaveURL(new RegExp(`\\?id=7-0$`));
  const highlighted = page.locator('tr[aria-current="true"]');
  await expect(highlighted).toHaveAttribute("data-entry-id", "7-0", LOAD);
  await expect(highlighted).toBeInViewport();

  await page.goto(streamUrl(key, "3-0"));
  await expect(page.locator('tr[aria-current="true"]')).toHaveAttribute("data-entry-id", "3-0", LOAD);
});

test("an empty stream says so, a missing one is not found, and search scans on demand", async ({
  page,
  redis,
  prefix,
}) => {
  const empty = `${prefix}empty`;
  await redis.xgroup("CREATE", empty, "g", "$", "MKSTREAM");
  await page.goto(streamUrl(empty));
  await expect(page.getByText("Stream is empty")).toBeVisible(LOAD);

  await page.goto(streamUrl(`${prefix}missing`));
  await expect(page.getByText("No such stream")).toBeVisible(LOAD);

  const key = `${prefix}search`;
  const pipeline = redis.pipeline();
  for (let i = 1; i <= 1500; i++) pipeline.xadd(key, `${i}-0`, "kind", i === 100 || i === 1400 ? "special" : "plain");
  await pipeline.exec();
  await page.goto(streamUrl(key));
  await expect(page.getByRole("table", { name: "Entries" })).toBeVisible(LOAD);
  await page.getByLabel("Field (optional)").fill("kind");
  await page.getByLabel("Value contains").fill("SPECIAL");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByText("1 match, scanned 1,000 entries")).toBeVisible(LOAD);
  await page.getByRole("button", { name: "Search further" }).click();
  await expect(page.getByText("2 matches, scanned 1,500 entries")).toBeVisible(LOAD);
  await expect(page.getByRole("table", { name: "Search results" }).locator("tbody tr")).toHaveCount(2);
});

test("a stream with over 1,000 groups lists 1,000, the busy ones among them, and says how many more there are", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}many-groups`;
  await redis.xadd(key, "1-0", "n", "1");
  const pipe = redis.pipeline();
  for (let i = 0; i < 1005; i++) pipe.xgroup("CREATE", key, `g${String(i).padStart(4, "0")}`, "0");
  await pipe.exec();
  // The last group in Redis's order holds a pending message: it is listed, five others are not.
  await redis.xreadgroup("GROUP", "g1004", "c", "COUNT", 1, "STREAMS", key, ">");
  await page.goto(streamUrl(key));
  const groups = page.getByRole("table", { name: "Consumer groups" });
  await expect(groups.getByRole("link", { name: "g1004" })).toBeVisible(LOAD);
  await expect(groups.getByRole("link", { name: "g0000" })).toBeVisible();
  await expect(page.getByRole("note").filter({ hasText: "5 more groups not listed" })).toContainText(
    "the 1,000 with the most pending",
  );
});
