import type Redis from "ioredis";
import { expect, test } from "./fixtures";

/**
 * The group page against the e2e server's Redis. Each test seeds its own stream under its
 * `prefix`; pending entries are made with XREADGROUP from the raw client (the dashboard itself
 * never calls it).
 */

const groupUrl = (key: string, group: string, query = "") =>
  `/streams/${encodeURIComponent(key)}/groups/${encodeURIComponent(group)}${query}`;

/** Adds `n` entries and has `consumer` read them, so they are pending for `group`. */
async function seedPending(
  redis: Redis,
  key: string,
  group: string,
  consumer: string,
  n: number,
  tag = consumer,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await redis.xadd(key, "*", "job", `${tag}-${i}`, "payload", JSON.stringify({ n: i })))!);
  await redis.xreadgroup("GROUP", group, consumer, "COUNT", n, "STREAMS", key, ">");
  return ids;
}

async function pendingOf(redis: Redis, key: string, group: string): Promise<[string, string, number, number][]> {
  return (await redis.xpending(key, group, "-", "+", 1000)) as [string, string, number, number][];
}

const SETTINGS_KEY = "streamscope:settings";

/** Data views load after the page (and a busy CI machine is slow): wait longer for them. */
const LOADED = { timeout: 30_000 };

test.describe.configure({ timeout: 120_000 });

/** Prepends a group rule for this test's prefix to the settings saved in Redis; returns an undo. */
async function withGroupRule(redis: Redis, rule: Record<string, unknown>): Promise<() => Promise<void>> {
  const before = await redis.get(SETTINGS_KEY);
  const saved = before ? (JSON.parse(before) as { groups?: unknown[] }) : {};
  await redis.set(SETTINGS_KEY, JSON.stringify({ ...saved, groups: [rule, ...(saved.groups ?? [])] }));
  return async () => {
    if (before === null) await redis.del(SETTINGS_KEY);
    else await redis.set(SETTINGS_KEY, before);
  };
}

test("ack one message from its row: the row goes and the pending count drops", async ({ page, redis, prefix }) => {
  const key = `${prefix}orders {eu}/1 %41 é`;
  await redis.xgroup("CREATE", key, "billing", "0", "MKSTREAM");
  const [first, second, third] = await seedPending(redis, key, "billing", "worker-1", 3);

  await page.goto(groupUrl(key, "billing"));
  await expect(page.getByRole("heading", { name: "Group billing" })).toBeVisible();
  await expect(page.getByRole("link", { name: key })).toHaveAttribute("href", `/streams/${encodeURIComponent(key)}`);
  await expect(page.getByText("3 pending in the group")).toBeVisible(LOADED);
  const rows = page.getByRole("table", { name: "Pending messages" }).getByRole("row");
  await expect(rows.filter({ hasText: second! })).toHaveCount(1);

  await page.getByRole("button", { name: `Ack ${second}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("1 message will be acknowledged");
  await dialog.getByRole("button", { name: "Ack 1 message" }).click();

  await expect(rows.filter({ hasText: second! })).toHaveCount(0, LOADED);
  await expect(page.getByText("2 pending in the group")).toBeVisible();
  await expect(rows.filter({ hasText: first! })).toHaveCount(1);
  expect((await pendingOf(redis, key, "billing")).map((p) => p[0])).toEqual([first, third]);
});

test("bulk requeue by filter: the dialog counts the matches, originals are acked and copies added", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}jobs`;
  await redis.xgroup("CREATE", key, "workers", "0", "MKSTREAM");
  const stuck = await seedPending(redis, key, "workers", "w-stuck", 3);
  const healthy = await seedPending(redis, key, "workers", "w-ok", 2);

  // A link from an alert opens the explorer already filtered.
  await page.goto(groupUrl(key, "workers", "?consumer=w-stuck"));
  const table = page.getByRole("table", { name: "Pending messages" });
  await expect(table.getByRole("row").filter({ hasText: stuck[0]! })).toHaveCount(1, LOADED);
  await expect(table.getByRole("row").filter({ hasText: healthy[0]! })).toHaveCount(0);

  await page.getByRole("button", { name: "Requeue all matching" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText('owned by "w-stuck"');
  await expect(dialog).toContainText("3 messages match", LOADED);
  await dialog.getByRole("button", { name: "Requeue 3 messages" }).click();
  await expect(page.getByText("Requeued 3, skipped 0")).toBeVisible(LOADED);
  await expect(dialog).toBeHidden();
  await expect(page.getByText("No pending message matches the filter")).toBeVisible(LOADED);

  const pending = await pendingOf(redis, key, "workers");
  expect(pending.map((p) => p[0]).sort()).toEqual([...healthy].sort());
  const entries = await redis.xrange(key, "-", "+");
  expect(entries).toHaveLength(8);
  const copies = entries.slice(5).map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
    return record;
  });
  expect(copies.map((c) => c["streamscope-origin-id"])).toEqual(stuck);
  expect(copies.map((c) => c.job)).toEqual(["w-stuck-0", "w-stuck-1", "w-stuck-2"]);
  expect(copies.every((c) => c["streamscope-origin-group"] === "workers")).toBe(true);
});

test("the idle histogram shows the stuck bucket's count", async ({ page, redis, prefix }) => {
  const key = `${prefix}events`;
  await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
  const ids = await seedPending(redis, key, "g", "reader", 5);
  // Make two entries look idle for 5 minutes (over the default 30 s threshold).
  await redis.xclaim(key, "g", "reader", 0, ids[0]!, ids[1]!, "IDLE", 300_000);

  await page.goto(groupUrl(key, "g"));
  const histogram = page.getByRole("region", { name: "Pending idle times" });
  await expect(
    histogram.getByRole("img", { name: /Histogram of idle times of 5 pending messages; stuck threshold 30 s/ }),
  ).toBeVisible(LOADED);
  const counts = histogram.getByRole("table", { name: "Pending messages per idle bucket" });
  await expect(counts.getByRole("columnheader", { name: "5-30 min" })).toBeVisible();
  await expect(counts.getByRole("cell", { name: "2 (stuck)" })).toBeVisible();
  await expect(histogram).toContainText(
    "Stuck (idle over 30 s): 30 s-1 min, 1-5 min, 5-30 min, 30 min-2 h, over 2 h: 2 messages",
  );
});

test("a consumer inactive longer than the threshold shows as dead", async ({ page, redis, prefix }) => {
  const key = `${prefix}payments`;
  await redis.xgroup("CREATE", key, "settle", "0", "MKSTREAM");
  await seedPending(redis, key, "settle", "crashed", 2);
  // A consumer that read everything it got and acked it: nothing pending, never dead.
  const done = await seedPending(redis, key, "settle", "healthy", 1);
  await redis.xack(key, "settle", ...done);
  const undo = await withGroupRule(redis, { stream: `${prefix}*`, group: "*", stuckAfterMs: 1000 });
  try {
    await page.waitForTimeout(2500); // past the 1 s threshold, and the settings cache (2 s)
    await page.goto(groupUrl(key, "settle"));
    const consumers = page.getByRole("table", { name: "Consumers" });
    const crashed = consumers.getByRole("row").filter({ hasText: "crashed" });
    await expect(crashed.getByText("dead", { exact: true })).toBeVisible(LOADED);
    await expect(
      consumers.getByRole("row").filter({ hasText: "healthy" }).getByText("dead", { exact: true }),
    ).toHaveCount(0);
    await expect(page.getByText("Stuck threshold", { exact: true })).toBeVisible();

    // Deleting it names how many pending messages are dropped.
    await crashed.getByRole("button", { name: "Delete consumer crashed" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("2 messages pending for this consumer will be dropped");
    await dialog.getByRole("button", { name: "Cancel" }).click();
  } finally {
    await undo();
  }
});

test("rows expand to their fields; a selection is claimed to a new consumer; the list exports as CSV", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}mail`;
  await redis.xgroup("CREATE", key, "senders", "0", "MKSTREAM");
  const ids = await seedPending(redis, key, "senders", "w1", 3);

  await page.goto(groupUrl(key, "senders"));
  const table = page.getByRole("table", { name: "Pending messages" });
  await expect(table.getByRole("row").filter({ hasText: ids[2]! })).toHaveCount(1, LOADED);

  await page.getByRole("button", { name: `Show fields of ${ids[0]}` }).click();
  await expect(table.getByText('"n": 0')).toBeVisible(LOADED);
  await expect(table.getByText("w1-0", { exact: true })).toBeVisible();

  await page.getByRole("checkbox", { name: `Select ${ids[0]}` }).check();
  await page.getByRole("checkbox", { name: `Select ${ids[2]}` }).check();
  await page.getByRole("button", { name: "Claim selected" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Target consumer").selectOption({ label: "New consumer…" });
  await dialog.getByLabel("New consumer name").fill("rescuer");
  await dialog.getByRole("button", { name: "Claim 2 messages" }).click();
  await expect(page.getByText("Claimed 2")).toBeVisible(LOADED);
  const owners = Object.fromEntries((await pendingOf(redis, key, "senders")).map(([id, consumer]) => [id, consumer]));
  expect(owners).toEqual({ [ids[0]!]: "rescuer", [ids[1]!]: "w1", [ids[2]!]: "rescuer" });

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^pending-.*mail-senders-.*\.csv$/);
  const lines = (await (await file.createReadStream()).toArray()).join("").trim().split("\r\n");
  expect(lines[0]).toBe("id,produced_at,consumer,idle_ms,deliveries,message_deleted");
  expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(ids);
  expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(["rescuer", "w1", "rescuer"]);
});

test("an unknown group shows the not-found page", async ({ page, redis, prefix }) => {
  const key = `${prefix}lonely`;
  await redis.xgroup("CREATE", key, "exists", "0", "MKSTREAM");
  await page.goto(groupUrl(key, "missing"));
  await expect(page.getByRole("heading", { name: "Group not found" })).toBeVisible(LOADED);
});

test("requeue on a stream read by several groups warns and offers claim instead", async ({ page, redis, prefix }) => {
  const key = `${prefix}shared`;
  await redis.xgroup("CREATE", key, "billing", "0", "MKSTREAM");
  await redis.xgroup("CREATE", key, "audit", "0");
  const [id] = await seedPending(redis, key, "billing", "w1", 1);

  await page.goto(groupUrl(key, "billing"));
  await page.getByRole("button", { name: `Requeue ${id}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("alert")).toContainText("every group gets it", LOADED);
  await expect(dialog.getByRole("button", { name: "Requeue 1 message" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Claim instead" }).click();
  await expect(dialog.getByRole("button", { name: "Claim 1 message" })).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  expect(await redis.xlen(key)).toBe(1);
});

/** This test waits on several views of a busy page; the shared machine can be slow to render them. */
const SLOW_PAGE = { timeout: 60_000 };

test("ack a stuck message: the dialog names it, the list holds still behind it, and the alert banner clears without waiting for the worker", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}orders`;
  await redis.xgroup("CREATE", key, "workers", "0", "MKSTREAM");
  // A consumer read it and crashed ten minutes ago.
  const [stuckId] = await seedPending(redis, key, "workers", "crashed", 1);
  await redis.xclaim(key, "workers", "crashed", 0, stuckId!, "IDLE", 600_000);
  // Alerts evaluated once (the e2e server runs no worker); every other firing alert silenced,
  // so the banner counts this stream's alert alone.
  expect((await page.request.post("/api/alerts/evaluate", { data: {} })).ok()).toBe(true);
  const firing = async () =>
    (
      (await (await page.request.get("/api/alerts?state=firing")).json()) as {
        alerts: { id: string; stream: string; silencedUntil: number | null }[];
      }
    ).alerts;
  const before = await firing();
  expect(before.filter((a) => a.stream === key).length).toBeGreaterThan(0);
  for (const a of before.filter((x) => x.stream !== key)) {
    expect(
      (await page.request.post(`/api/alerts/${encodeURIComponent(a.id)}/silence`, { data: { forMs: 600_000 } })).ok(),
    ).toBe(true);
  }

  const pendingFetches: string[] = [];
  page.on("request", (r) => {
    if (/\/groups\/workers\/pending(\?|$)/.test(new URL(r.url()).pathname + new URL(r.url()).search))
      pendingFetches.push(r.url());
  });
  await page.goto(groupUrl(key, "workers"));
  const banner = page.getByRole("status").filter({ hasText: /alerts? firing/ });
  await expect(banner).toBeVisible(SLOW_PAGE);
  const rows = page.getByRole("table", { name: "Pending messages" }).getByRole("row");
  await expect(rows.filter({ hasText: stuckId! })).toHaveCount(1, SLOW_PAGE);

  await page.getByRole("button", { name: `Ack ${stuckId}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Ack message ${stuckId}?`);
  await expect(dialog).toContainText(`Message ${stuckId} of group "workers"`);
  // The pending list refreshes every 10 s; not while the dialog is open.
  const fetchesWhenOpened = pendingFetches.length;
  await page.waitForTimeout(12_000);
  expect(pendingFetches.length).toBe(fetchesWhenOpened);

  await dialog.getByRole("button", { name: "Ack 1 message" }).click();
  await expect(rows.filter({ hasText: stuckId! })).toHaveCount(0, SLOW_PAGE);
  // The server re-evaluated this stream's alerts right after the ack; the banner refetched.
  await expect(banner).toBeHidden(SLOW_PAGE);
  expect((await firing()).filter((a) => a.stream === key)).toEqual([]);
});

test("a group with more consumers than the cap lists the pending owners and says how many more", async ({
  page,
  redis,
  prefix,
}) => {
  const key = `${prefix}leaky`;
  await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
  await seedPending(redis, key, "g", "owner-1", 2);
  await redis.eval(
    "for i = 1, tonumber(ARGV[2]) do redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], ARGV[1], 'leaked-' .. i) end return 1",
    1,
    key,
    "g",
    1500,
  );

  await page.goto(groupUrl(key, "g"));
  const table = page.getByRole("table", { name: "Consumers" });
  await expect(table.getByRole("row", { name: /owner-1/ })).toBeVisible(LOADED);
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("note", { name: "Consumers not listed" })).toContainText(
    "1,500 more consumers, mostly idle",
  );
  await expect(table.getByRole("row", { name: /owner-1/ })).toContainText("unknown");
});
