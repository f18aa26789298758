import { expect, test } from "./fixtures";

/** A scheduled tick that changed nothing: what the scheduler writes every 15 s on a quiet system. */
function idleTick(i: number, startedAt: number) {
  const job = (name: string, counts: Record<string, number>, ran = true) => ({
    name,
    ran,
    counts,
    notes: [],
    durationMs: 2,
    nextRunAt: startedAt + 15_000,
  });
  return JSON.stringify({
    id: `e2e-idle-${i}-${startedAt}`,
    instance: "e2e",
    status: "ok",
    forced: false,
    startedAt,
    finishedAt: startedAt + 12,
    durationMs: 12,
    waitedMs: 0,
    jobs: [
      job("rotation", { streamsCreated: 0 }),
      job("expiry-guard", {}, false),
      job("reclaim", { groupsChecked: 3, examined: 5 }),
      job("trim", {}, false),
      job("history", { streams: 4, samples: 9 }),
    ],
  });
}

test("the worker page shows one line per tick, folds idle ticks, and Run now adds a new one", async ({
  page,
  request,
  prefix,
  redis,
}) => {
  // A family of this test's own: the tick's rotation creates its current hour.
  const saved = await request.put("/api/settings", {
    data: {
      set: { families: [{ name: "e2e", pattern: `${prefix}orders_<yyyyMMddHH>`, groups: ["g"], ttlSeconds: 3600 }] },
    },
  });
  expect(saved.ok()).toBe(true);
  const first = await request.post("/api/worker", { data: {} });
  expect(first.ok()).toBe(true);
  // Then 30 scheduled ticks that changed nothing.
  const t0 = Date.now() - 30 * 15_000;
  for (let i = 0; i < 30; i++) await redis.lpush("streamscope:worker:ticks", idleTick(i, t0 + i * 15_000));

  await page.goto("/worker");
  await expect(page.getByRole("heading", { name: "Worker", level: 1 })).toBeVisible();
  const list = page.getByRole("table", { name: "Last ticks" });
  const ticks = list.getByRole("row", { name: /^Tick at/ });
  const idle = list.getByRole("row", { name: "30 idle ticks" });
  await expect(idle).toHaveCount(1);
  await expect(idle).toContainText("nothing changed");
  await expect(ticks.first()).toContainText("rotation: 2 streams created");
  await expect(ticks.first()).not.toContainText("not due");
  // Compact: the whole page fits in well under two screens.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(1600);
  // Durations in human units, never thousands of ms.
  expect(await page.locator("main").innerText()).not.toMatch(/\d{4,} ms/);

  // Ticks of earlier tests (a tick run on demand) may be listed too: count from what is shown.
  const shown = await ticks.count();
  await idle.getByRole("button", { name: "Show 30 idle ticks" }).click();
  await expect(ticks).toHaveCount(shown + 30);
  await idle.getByRole("button", { name: "Hide 30 idle ticks" }).click();
  await expect(ticks).toHaveCount(shown);

  const before = await ticks.count();
  const firstLabel = await ticks.first().getAttribute("aria-label");
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByText(/Tick finished in/)).toBeVisible();
  await expect
    .poll(async () => ({ count: await ticks.count(), label: await ticks.first().getAttribute("aria-label") }))
    .not.toEqual({ count: before, label: firstLabel });
  await expect(ticks.first()).toContainText("run now");
  // Its details list every job that ran, with what it looked at.
  await ticks
    .first()
    .getByRole("button", { name: /^Show details of the tick at/ })
    .click();
  const details = list.getByRole("article", { name: /^Details of the tick at/ });
  await expect(details).toContainText("expiry-guard");
  const [, created] = await redis.scan("0", "MATCH", `${prefix}orders_*`, "COUNT", 1000);
  expect(created.length).toBeGreaterThanOrEqual(1);
  expect(await redis.pttl(created[0]!)).toBeGreaterThan(0);
});

test("the settings page saves a group rule with confirmation and shows where values come from", async ({
  page,
  request,
}) => {
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
  const body = (await (await request.get("/api/settings")).json()) as {
    settings: { groups: { stream: string; policy: string }[] };
  };
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
