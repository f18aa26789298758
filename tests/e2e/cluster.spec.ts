/**
 * The cluster page in Chromium against a private Redis Cluster (3 masters, 1 replica each) and an
 * app of its own seeded with one master's address: every node with its role and slots, the master
 * holding a family pinned by its hash tag highlighted, and the hottest stream links opening the
 * stream page (a stream on another node than the seed).
 */
import { expect, test, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import calculateSlot from "cluster-key-slot";
import Redis from "ioredis";
import { startRedisCluster, type PrivateCluster } from "../../scripts/lib/redis-cluster";
import { freePort } from "../../scripts/lib/redis-server";

const LOAD = { timeout: 20_000 };
const PINNED = 30;
const SPREAD = 20;

let cluster: PrivateCluster;
let app: { url: string; process: ChildProcess };
/** Address of each master -> its client. */
const masters = new Map<string, Redis>();

test.describe.configure({ mode: "serial" });

/** The built app (`next start`) on a free port against `redisUrl`, once /api/health answers 200. */
async function startApp(redisUrl: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [require.resolve("next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, REDIS_URL: redisUrl, WORKER: "off", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("next start exited before answering");
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, process: child };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error("next start did not answer /api/health within 120 s");
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await done;
  clearTimeout(timer);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  for (const m of cluster.masters) masters.set(`127.0.0.1:${m.port}`, new Redis(m.port, "127.0.0.1"));
  const slots = (await [...masters.values()][0]!.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
  const nodeOf = (key: string) => {
    const slot = calculateSlot(key);
    const [, , [, port]] = slots.find(([from, to]) => from <= slot && slot <= to)!;
    return masters.get(`127.0.0.1:${port}`)!;
  };
  for (let i = 0; i < SPREAD; i++) await nodeOf(`e2e:spread:${i}`).xadd(`e2e:spread:${i}`, "*", "n", String(i));
  for (let i = 0; i < PINNED; i++) {
    const key = `e2e:{pinned}:job:${i}`;
    const node = nodeOf(key);
    for (let e = 0; e < 4; e++) await node.xadd(key, "*", "n", String(e));
    await node.xgroup("CREATE", key, "runner", "0");
    await node.xreadgroup("GROUP", "runner", "r1", "COUNT", i === 7 ? 4 : 1, "STREAMS", key, ">");
  }
  app = await startApp(cluster.url);
});

test.afterAll(async () => {
  if (app) await stopApp(app.process);
  for (const m of masters.values()) m.disconnect();
  await cluster?.stop();
});

function nodeRow(page: Page, address: string) {
  return page.getByRole("row", { name: `Node ${address}` });
}

test("the cluster page lists every node with its role and slots, and highlights the node holding the pinned family", async ({
  page,
}) => {
  await page.goto(`${app.url}/cluster`);
  await expect(page.getByRole("heading", { name: "Cluster" })).toBeVisible(LOAD);
  const table = page.getByRole("table", { name: "Nodes" });
  await expect(table).toBeVisible(LOAD);
  await expect(page.getByText("Redis Cluster: 3 masters, 3 replicas")).toBeVisible(LOAD);

  for (const [i, node] of cluster.nodes.entries()) {
    const address = `127.0.0.1:${node.port}`;
    const row = nodeRow(page, address);
    await expect(row).toBeVisible(LOAD);
    if (i < cluster.masters.length) {
      await expect(row.getByRole("cell").nth(0)).toHaveText("master");
      await expect(row.getByRole("cell").nth(1)).toHaveText(/^[\d,]{5,6} \d+-\d+/);
    } else {
      const master = cluster.masters[i % cluster.masters.length]!;
      await expect(row.getByRole("cell").nth(0)).toHaveText(`replica of 127.0.0.1:${master.port}`, LOAD);
      await expect(row.getByRole("cell").nth(1)).toHaveText("—");
    }
  }
  await expect(table.locator("tbody tr")).toHaveCount(6);

  // The family pinned by {pinned} lives on one master: that row is the one marked.
  const hot = table.locator("tbody tr[data-hot]");
  await expect(hot).toHaveCount(1, LOAD);
  await expect(hot.getByText("far more streams")).toBeVisible();
  await expect(hot.getByRole("link").first()).toHaveText("e2e:{pinned}:job:7");
});

test("a hottest stream link opens that stream's page", async ({ page }) => {
  await page.goto(`${app.url}/cluster`);
  const hot = page.getByRole("table", { name: "Nodes" }).locator("tbody tr[data-hot]");
  const link = hot.getByRole("link", { name: "e2e:{pinned}:job:7" });
  await expect(link).toBeVisible(LOAD);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/streams/${encodeURIComponent("e2e:{pinned}:job:7")}$`), LOAD);
  await expect(page.getByRole("heading", { name: "e2e:{pinned}:job:7" })).toBeVisible(LOAD);

  // A spread stream on every master opens too (the app was given one master's address only).
  await page.goto(`${app.url}/cluster`);
  const rows = page.getByRole("table", { name: "Nodes" }).locator("tbody tr:not([data-hot])");
  const spread = rows.getByRole("link", { name: /^e2e:spread:/ });
  await expect(spread.first()).toBeVisible(LOAD);
  const names = await spread.allInnerTexts();
  expect(names.length).toBeGreaterThan(0);
  await spread.first().click();
  await expect(page.getByRole("heading", { name: names[0]! })).toBeVisible(LOAD);
});
