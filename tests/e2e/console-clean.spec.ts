/**
 * Every page of the app, opened on the demo simulator's live data (the e2e server seeds it under
 * `demo:`), must load without a console error or an uncaught page error: React hydration
 * mismatches (#418), a missing favicon and failed fetches all surface there.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

test.describe.configure({ timeout: 180_000 });
const LOAD = { timeout: 45_000 };

const stream = "demo:payments";
const seg = encodeURIComponent;
const PAGES: { path: string; ready: (page: Page) => Promise<void> }[] = [
  { path: "/", ready: (p) => expect(p.getByRole("link", { name: stream })).toBeVisible(LOAD) },
  {
    path: `/streams/${seg(stream)}`,
    ready: (p) => expect(p.getByRole("table", { name: "Entries" }).getByRole("row").nth(1)).toBeVisible(LOAD),
  },
  {
    path: `/streams/${seg(stream)}/groups/ledger`,
    ready: (p) => expect(p.getByRole("heading", { name: /ledger/ }).first()).toBeVisible(LOAD),
  },
  { path: `/streams/${seg(stream)}/history`, ready: (p) => expect(p.getByRole("heading").first()).toBeVisible(LOAD) },
  { path: "/alerts", ready: (p) => expect(p.getByRole("heading", { name: "Alerts" })).toBeVisible(LOAD) },
  { path: "/worker", ready: (p) => expect(p.getByRole("heading", { name: "Worker" })).toBeVisible(LOAD) },
  { path: "/settings", ready: (p) => expect(p.getByRole("heading", { name: "Settings" })).toBeVisible(LOAD) },
  { path: "/audit", ready: (p) => expect(p.getByRole("heading", { name: "Audit trail" })).toBeVisible(LOAD) },
  { path: "/login", ready: (p) => expect(p.getByRole("heading").first()).toBeVisible(LOAD) },
];

for (const { path, ready } of PAGES) {
  test(`${path} loads without console or page errors`, async ({ page, baseURL }) => {
    const problems: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => problems.push(`page: ${err.message}`));
    page.on("response", (res) => {
      if (res.status() >= 400 && baseURL && res.url().startsWith(baseURL))
        problems.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(path);
    await ready(page);
    // Hydration errors and late fetches arrive after the first paint: give the page a moment.
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await page.waitForTimeout(1500);
    expect(problems).toEqual([]);
  });
}
