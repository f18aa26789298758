import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getWorker, POST as postWorker } from "@/app/api/worker/route";
import { GET as getSettings, PUT as putSettings } from "@/app/api/settings/route";
import type { SettingsResponse } from "@/lib/contract/settings";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";
import { invalidateSettingsCache } from "@/lib/config/settings";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis } from "@/lib/redis/client";
import { workerKeys } from "@/lib/worker/keys";
import { callRoute } from "../../helpers/route";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("routes");
const streamPrefix = uniquePrefix("routes-s");

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "ss-config-"));
  const file = join(dir, "config.json");
  writeFileSync(
    file,
    JSON.stringify({
      families: [{ name: "orders", pattern: `${streamPrefix}orders_<yyyyMMddHH>`, groups: ["g"], ttlSeconds: 3600 }],
      worker: { guardWindowMs: 120_000 },
    }),
  );
  process.env.STREAMSCOPE_CONFIG = file;
  // Other test files share this Redis: the ticks of this file only look at its own keys.
  process.env.WORKER_MATCH = `${streamPrefix}*`;
  resetProcessState();
  invalidateSettingsCache();
});
afterAll(async () => {
  await closeRedis();
  delete process.env.STREAMSCOPE_CONFIG;
  delete process.env.WORKER_MATCH;
  resetProcessState();
});

describe("/api/worker", () => {
  it("POST runs a full tick (rotation creates the family's current hour) and GET shows it", async () => {
    const res = await callRoute<TickResult>(postWorker as never, "/api/worker", { method: "POST", body: {} });
    expect(res.status).toBe(200);
    expect(res.body.forced).toBe(true);
    expect(res.body.jobs.map((j) => j.name)).toEqual([
      "rotation",
      "expiry-guard",
      "reclaim",
      "trim",
      "reap",
      "history",
      "alerts",
      "stuck-snapshot",
    ]);
    expect(res.body.jobs.every((j) => j.ran)).toBe(true);
    const rotation = res.body.jobs[0]!;
    expect(rotation.counts.families).toBe(1);
    const status = await callRoute<WorkerStatus>(getWorker as never, "/api/worker");
    expect(status.status).toBe(200);
    expect(status.body.ticks[0]?.id).toBe(res.body.id);
    expect(status.body.scheduler.enabled).toBe(false);
    expect(status.body.jobs.find((j) => j.name === "rotation")?.lastRunAt).toBeGreaterThan(0);
  });

  it("POST answers 409 CONFLICT when another tick holds the lock too long", async () => {
    await redis.set(workerKeys.lock(), "other-instance|x", "PX", 60_000);
    try {
      const pending = callRoute<{ error: { code: string; message: string } }>(postWorker as never, "/api/worker", {
        method: "POST",
        body: {},
      });
      const status = await callRoute<WorkerStatus>(getWorker as never, "/api/worker");
      expect(status.body.lock.holder).toBe("other-instance");
      const res = await pending;
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
      expect(res.body.error.message).toMatch(/other-instance/);
    } finally {
      await redis.del(workerKeys.lock());
    }
  }, 45_000);
});

describe("/api/settings", () => {
  it("GET tells default, file and saved values apart; PUT saves a section and reset brings the file back", async () => {
    const first = await callRoute<SettingsResponse>(getSettings as never, "/api/settings");
    expect(first.status).toBe(200);
    expect(first.body.sections).toMatchObject({ families: "file", groups: "default", worker: "file" });
    expect(first.body.sources["worker.guardWindowMs"]).toBe("file");
    expect(first.body.sources["worker.guardCapMs"]).toBe("default");
    expect(first.body.settings.worker.guardCapMs).toBe(86_400_000);

    const put = await callRoute<SettingsResponse>(putSettings as never, "/api/settings", {
      method: "PUT",
      body: {
        set: { worker: { guardCapMs: 3_600_000 }, groups: [{ stream: "orders_*", policy: "requeue", trim: true }] },
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.sections).toMatchObject({ worker: "saved", groups: "saved", families: "file" });
    expect(put.body.sources["worker.guardCapMs"]).toBe("saved");
    // The saved worker section replaces the file's whole: guardWindowMs falls back to its default.
    expect(put.body.sources["worker.guardWindowMs"]).toBe("default");
    expect(put.body.settings.groups[0]).toMatchObject({ stream: "orders_*", policy: "requeue", trim: true });

    const reset = await callRoute<SettingsResponse>(putSettings as never, "/api/settings", {
      method: "PUT",
      body: { reset: ["worker"] },
    });
    expect(reset.body.sections.worker).toBe("file");
    expect(reset.body.settings.worker.guardWindowMs).toBe(120_000);
    expect(reset.body.sections.groups).toBe("saved");
  });

  it("PUT rejects bad values with a 400 naming the key, and never edits auth", async () => {
    const bad = await callRoute<{ error: { code: string; message: string } }>(putSettings as never, "/api/settings", {
      method: "PUT",
      body: { set: { worker: { guardWindowMs: "soon" } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/worker\.guardWindowMs/);
    const policy = await callRoute<{ error: { message: string } }>(putSettings as never, "/api/settings", {
      method: "PUT",
      body: { set: { groups: [{ stream: "*", policy: "delete-everything" }] } },
    });
    expect(policy.status).toBe(400);
    expect(policy.body.error.message).toMatch(/groups\.0\.policy/);
    const zone = await callRoute<{ error: { message: string } }>(putSettings as never, "/api/settings", {
      method: "PUT",
      body: { set: { families: [{ name: "x", pattern: "x_<yyyyMMdd>", timeZone: "Mars/Olympus" }] } },
    });
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toMatch(/families\.0\.timeZone/);
    const auth = await callRoute<{ error: { message: string } }>(putSettings as never, "/api/settings", {
      method: "PUT",
      body: { set: { auth: { readOnly: false } } },
    });
    expect(auth.status).toBe(400);
    expect(auth.body.error.message).toMatch(/auth: not editable/);
    const junk = await callRoute(putSettings as never, "/api/settings", { method: "PUT", rawBody: "{nope" });
    expect(junk.status).toBe(400);
  });
});
