import { expect, test } from "./fixtures";

// Runs against the e2e server's live demo traffic (scripts/lib/simulator.ts under `demo:`), where
// worker-crashy takes its second batch and stops reading for ten minutes without acking.
// This file must run before health.spec.ts, which restarts (and so empties) Redis.
test.describe.configure({ timeout: 150_000 });

test("the consumer that crashed in the demo shows as dead, holding stuck messages", async ({ page }) => {
  const url = `/streams/${encodeURIComponent("demo:payments")}/groups/ledger`;
  await page.goto(url);
  await expect(page.getByRole("heading", { name: /ledger/ })).toBeVisible({ timeout: 45_000 });
  const crashed = page.getByRole("row").filter({ hasText: "worker-crashy" }).first();
  // Dead once inactive longer than the default 30 s threshold: reload until it is.
  await expect(async () => {
    await page.reload();
    await expect(crashed.getByText("dead", { exact: true })).toBeVisible({ timeout: 5000 });
  }).toPass({ timeout: 110_000, intervals: [5000] });
  // It still owns the messages it took before crashing.
  await expect(crashed.getByRole("cell").nth(1)).not.toHaveText("0");
});
