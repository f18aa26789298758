import { expect, test } from "./fixtures";

test("the worker page shows the last tick and Run now adds a new one", async ({ page, request, prefix, redis }) => {
  // A family of this test's own: the tick's rotation creates its current hour.
  const saved = await request.put("/api/settings", {
    data: { set: { families: [{ name: "e2e", pattern: `${prefix}orders_<yyyyMMddHH>`, groups: ["g"], ttlSeconds: 3600 }] } },
  });
  expect(saved.ok()).toBe(true);
  const first = await request.post("/api/worker", { data: {} });
  expect(first.ok()).toBe(true);

  await page.goto("/worker");
  await expect(page.getByRole("heading", { name: "Worker", level: 1 })).toBeVisible();
  const ticks = page.getByRole("article", { name: /^Tick at/ });
  await expect(ticks.first()).toBeVisible();
  await expect(ticks.first()).toContainText("rotation");
  await expect(ticks.first()).toContainText("2 streams created");
  const before = await ticks.count();
  const firstLabel = await ticks.first().getAttribute("aria-label");

  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByText(/Tick finished in/)).toBeVisible();
  await expect
    .poll(async () => ({ count: await ticks.count(), label: await ticks.first().getAttribute("aria-label") }))
    .not.toEqual({ count: before, label: firstLabel });
  await expect(ticks.first()).toContainText("run now");
  await expect(ticks.first()).toContainText("expiry-guard");
  const [, created] = await redis.scan("0", "MATCH", `${prefix}orders_*`, "COUNT", 1000);
  expect(created.length).toBeGreaterThanOrEqual(1);
  expect(await redis.pttl(created[0]!)).toBeGreaterThan(0);
});

test("the settings page saves a group rule with confirmation and shows where values come from", async ({ page, request }) => {
  await request.put("/api/settings", { data: { reset: ["groups"] } });
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  const rules = page.getByRole("region", { name: "Group rules" });
  await expect(rules.getByText("default", { exact: true })).toBeVisible();
  await rules.getByRole("button", { name: "Add group rule" }).click();
  await rules.getByRole("textbox", { name: "Stream glob of rule 1" }).fill("orders_*");
  await rules.getByRole("combobox", { name: "Policy of rule 1" }).selectOption("requeue");
  await rules.getByRole("button", { name: "Save group rules" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Save group rules" }).click();
  await expect(page.getByText("Group rules saved")).toBeVisible();
  await expect(rules.getByText("saved edit", { exact: true })).toBeVisible();
  const body = (await (await request.get("/api/settings")).json()) as { settings: { groups: { stream: string; policy: string }[] } };
  expect(body.settings.groups[0]).toMatchObject({ stream: "orders_*", policy: "requeue" });

  await rules.getByRole("button", { name: "Reset group rules to file values" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reset group rules" }).click();
  await expect(rules.getByText("default", { exact: true })).toBeVisible();
});

test("the worker page names this process's instance, the one its ticks carry", async ({ page, request }) => {
  const status = (await (await request.get("/api/worker")).json()) as { instance: string };
  expect(status.instance).toMatch(/^.+:\d+:[0-9a-f]{6}$/);
  const run = (await (await request.post("/api/worker", { data: {} })).json()) as { instance: string };
  expect(run.instance).toBe(status.instance);
  await page.goto("/worker");
  await expect(page.getByText(`This instance: ${status.instance}`)).toBeVisible({ timeout: 30_000 });
});
