import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/alerts/route";
import { POST as silenceRoute } from "@/app/api/alerts/[id]/silence/route";
import { POST as evaluateRoute } from "@/app/api/alerts/evaluate/route";
import { POST as ackRoute } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { alertsJob } from "@/lib/worker/jobs/alerts";
import { alertKeys, listAlerts, RESOLVED_MAX, silenceAlert } from "@/lib/alerts/store";
import { WebhookQueue } from "@/lib/alerts/webhook";
import type { Alert, AlertsResponse, SilenceResponse } from "@/lib/contract/alerts";
import { closeRedis } from "@/lib/redis/client";
import { alertRecord, alertRecordFields } from "../helpers/alert-record";
import { callRoute } from "../helpers/route";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();

beforeAll(() => {
  useOwnAppPrefix("alerts-life");
});
afterAll(async () => {
  await closeRedis();
});

/** A stream whose group holds `n` pending messages, with a pending-over-0 alert rule. */
async function firingSetup(n = 1) {
  const p = uniquePrefix("life");
  const key = `${p}s`;
  await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
  for (let i = 0; i < n; i++) await redis.xadd(key, "*", "n", String(i));
  await redis.xreadgroup("GROUP", "g", "c1", "COUNT", n, "STREAMS", key, ">");
  const settings = makeSettings({
    alerts: { rules: [{ stream: `${p}*`, pendingOver: 0, longPending: false, deadConsumer: false }] },
  });
  return { p, key, settings };
}

interface Received {
  body: unknown;
  at: number;
}

async function receiver(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      received.push({ body: JSON.parse(data), at: Date.now() });
      handle(req, res, received.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret-token`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("silence", () => {
  it("silences for a chosen time, lifts with 0, and lapses on its own", async () => {
    const { p, key, settings } = await firingSetup();
    const now = Date.now();
    await evaluateAlerts(redis, settings, { now, match: `${p}*` });
    const alert = (await listAlerts(redis, now)).find((a) => a.stream === key)!;
    expect(alert.silencedUntil).toBeNull();

    const res = await callRoute<SilenceResponse>(silenceRoute as never, `/api/alerts/${alert.id}/silence`, {
      params: { id: alert.id },
      body: { forMs: 3600_000 },
    });
    expect(res.status).toBe(200);
    expect(res.body.alert.silencedUntil).toBeGreaterThan(Date.now() + 3500_000);

    const list = await callRoute<AlertsResponse>(listRoute as never, "/api/alerts");
    expect(list.body.alerts.find((a) => a.id === alert.id)?.silencedUntil).toBe(res.body.alert.silencedUntil);

    const lifted = await callRoute<SilenceResponse>(silenceRoute as never, `/api/alerts/${alert.id}/silence`, {
      params: { id: alert.id },
      body: { forMs: 0 },
    });
    expect(lifted.body.alert.silencedUntil).toBeNull();

    await silenceAlert(redis, alert.id, 60_000, now);
    expect((await listAlerts(redis, now + 59_000)).find((a) => a.id === alert.id)?.silencedUntil).toBe(now + 60_000);
    expect((await listAlerts(redis, now + 61_000)).find((a) => a.id === alert.id)?.silencedUntil).toBeNull();
  });

  it("404 for an unknown id, 400 for a bad forMs", async () => {
    const unknown = await callRoute(silenceRoute as never, "/api/alerts/abc123/silence", {
      params: { id: "abc123" },
      body: { forMs: 1000 },
    });
    expect(unknown.status).toBe(404);
    const { p, key, settings } = await firingSetup();
    await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*` });
    const alert = (await listAlerts(redis, Date.now())).find((a) => a.stream === key)!;
    for (const body of [{ forMs: -1 }, { forMs: "1h" }, { forMs: 1.5 }, {}, { forMs: 365 * 86400_000 }]) {
      const res = await callRoute<{ error: { code: string } }>(
        silenceRoute as never,
        `/api/alerts/${alert.id}/silence`,
        { params: { id: alert.id }, body },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
    }
    const junk = await callRoute(silenceRoute as never, `/api/alerts/${alert.id}/silence`, {
      params: { id: alert.id },
      rawBody: "{nope",
    });
    expect(junk.status).toBe(400);
  });

  it("a silenced alert sends no webhook when it resolves", async () => {
    const hook = await receiver((_req, res) => res.writeHead(200).end());
    try {
      const queue = new WebhookQueue({ attempts: 1, baseDelayMs: 10, timeoutMs: 2000, concurrency: 2, maxQueue: 100 });
      const { p, key, settings: base } = await firingSetup();
      const settings = {
        ...base,
        alerts: { ...base.alerts, allowPrivateWebhooks: true, webhooks: [{ url: hook.url, format: "json" as const }] },
      };
      await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*`, webhooks: queue });
      await queue.idle();
      expect(hook.received).toHaveLength(1);
      const alert = (await listAlerts(redis, Date.now())).find((a) => a.stream === key)!;
      await silenceAlert(redis, alert.id, 3600_000, Date.now());
      await redis.del(key);
      await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*`, webhooks: queue });
      await queue.idle();
      expect(hook.received).toHaveLength(1);
      expect((await listAlerts(redis, Date.now())).find((a) => a.id === alert.id)?.state).toBe("resolved");
    } finally {
      await hook.close();
    }
  });
});

describe("webhooks", () => {
  it("delivers JSON on firing and on resolve, retrying after a 500", async () => {
    const hook = await receiver((_req, res, n) => res.writeHead(n === 1 ? 500 : 200).end());
    try {
      const queue = new WebhookQueue({ attempts: 3, baseDelayMs: 20, timeoutMs: 2000, concurrency: 2, maxQueue: 100 });
      const { p, key, settings: base } = await firingSetup();
      const settings = {
        ...base,
        alerts: { ...base.alerts, allowPrivateWebhooks: true, webhooks: [{ url: hook.url, format: "json" as const }] },
      };
      const r = await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*`, webhooks: queue });
      expect(r.webhooksQueued).toBe(1);
      await queue.idle();
      expect(hook.received).toHaveLength(2);
      expect(hook.received[0]!.body).toEqual(hook.received[1]!.body);
      const body = hook.received[1]!.body as { event: string; alert: Alert };
      expect(body.event).toBe("firing");
      expect(body.alert).toMatchObject({ rule: "pending-over", stream: key, group: "g", state: "firing" });

      await redis.xgroup("DESTROY", key, "g");
      await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*`, webhooks: queue });
      await queue.idle();
      expect(hook.received).toHaveLength(3);
      expect(hook.received[2]!.body).toMatchObject({ event: "resolved", alert: { state: "resolved", stream: key } });
      expect(queue.snapshot()).toMatchObject({ delivered: 2, failed: 0 });
    } finally {
      await hook.close();
    }
  });

  it("sends Slack-compatible text and gives up after the last attempt", async () => {
    const hook = await receiver((_req, res) => res.writeHead(503).end());
    try {
      const queue = new WebhookQueue({ attempts: 3, baseDelayMs: 10, timeoutMs: 2000, concurrency: 2, maxQueue: 100 });
      const { p, key, settings: base } = await firingSetup();
      const settings = {
        ...base,
        alerts: { ...base.alerts, allowPrivateWebhooks: true, webhooks: [{ url: hook.url, format: "slack" as const }] },
      };
      await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*`, webhooks: queue });
      await queue.idle();
      expect(hook.received).toHaveLength(3);
      const text = (hook.received[0]!.body as { text: string }).text;
      expect(text).toContain("FIRING [WARNING] pending-over");
      expect(text).toContain(key);
      expect(queue.snapshot().failed).toBe(1);
    } finally {
      await hook.close();
    }
  });

  it("a slow receiver does not stall the alerts job", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let answered = false;
    const hook = await receiver((_req, res) => {
      void held.then(() => {
        answered = true;
        res.writeHead(200).end();
      });
    });
    try {
      const queue = new WebhookQueue({
        attempts: 1,
        baseDelayMs: 10,
        timeoutMs: 10_000,
        concurrency: 2,
        maxQueue: 100,
      });
      const { p, settings: base } = await firingSetup();
      const settings = {
        ...base,
        alerts: { ...base.alerts, allowPrivateWebhooks: true, webhooks: [{ url: hook.url, format: "json" as const }] },
      };
      const r = await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*`, webhooks: queue });
      expect(r.fired).toHaveLength(1);
      // The job has returned; wait until the receiver holds the request, still unanswered.
      await expect.poll(() => hook.received.length).toBe(1);
      expect(answered).toBe(false);
      expect(queue.snapshot().inFlight).toBe(1);
      release();
      await queue.idle();
      expect(queue.snapshot().delivered).toBe(1);
    } finally {
      release();
      await hook.close();
    }
  });
});

describe("routes and retention", () => {
  it("POST /api/alerts/evaluate runs the job once", async () => {
    const res = await callRoute<{ counts: Record<string, number> }>(evaluateRoute as never, "/api/alerts/evaluate", {
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.counts).toHaveProperty("firing");
  });

  it("GET /api/alerts?state= narrows the list; a bad state is a 400", async () => {
    const { p } = await firingSetup();
    void p;
    const firing = await callRoute<AlertsResponse>(listRoute as never, "/api/alerts", { query: { state: "firing" } });
    expect(firing.status).toBe(200);
    expect(firing.body.alerts.every((a) => a.state === "firing")).toBe(true);
    const bad = await callRoute(listRoute as never, "/api/alerts", { query: { state: "open" } });
    expect(bad.status).toBe(400);
  });

  it("alertsJob honours the worker's keyMatch", async () => {
    const { p, key, settings } = await firingSetup();
    const ctx = { redis, settings, now: Date.now(), forced: true, heartbeat: async () => undefined, keyMatch: `${p}*` };
    const r = await alertsJob.run(ctx);
    expect(r.counts.streams).toBe(1);
    expect(r.notes.some((n) => n.includes(key))).toBe(true);
  });

  it("keeps at most RESOLVED_MAX resolved alerts", async () => {
    const { p, settings } = await firingSetup();
    const now = Date.now();
    const fakes = Array.from({ length: RESOLVED_MAX + 50 }, (_, i) =>
      alertRecord(`f${String(i).padStart(6, "0")}`, {
        rule: "lag-over",
        stream: "gone",
        state: "resolved",
        resolvedAt: now - i,
      }),
    );
    await redis.hset(alertKeys.records(), ...alertRecordFields(fakes));
    await redis.zadd(alertKeys.resolved(), ...fakes.flatMap((r, i) => [now - i, r.id]));
    await evaluateAlerts(redis, settings, { now, match: `${p}*` });
    expect(await redis.zcard(alertKeys.resolved())).toBeLessThanOrEqual(RESOLVED_MAX);
    expect(await redis.hexists(alertKeys.records(), "f000000")).toBe(1);
    expect(await redis.hexists(alertKeys.records(), `f${String(RESOLVED_MAX + 49).padStart(6, "0")}`)).toBe(0);
  });
});

describe("re-evaluation right after an action", () => {
  it("an ack resolves the group's alert at once; a dry run changes nothing", async () => {
    const p = uniquePrefix("act");
    const key = `${p}s`;
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    const id = (await redis.xadd(key, "*", "n", "1")) as string;
    await redis.xreadgroup("GROUP", "g", "crashed", "COUNT", 1, "STREAMS", key, ">");
    await redis.call("XCLAIM", key, "g", "crashed", "0", id, "IDLE", "600000", "JUSTID");
    await evaluateAlerts(redis, makeSettings(), { now: Date.now(), match: `${p}*` });
    const firingFor = async () =>
      (await listAlerts(redis, Date.now())).filter((a) => a.stream === key && a.state === "firing");
    expect((await firingFor()).map((a) => a.rule)).toContain("long-pending");

    const dry = await callRoute(ackRoute as never, "/api/x", {
      params: { key, group: "g" },
      body: { ids: [id], dryRun: true },
    });
    expect(dry.status).toBe(200);
    expect((await firingFor()).length).toBeGreaterThan(0);

    const acked = await callRoute(ackRoute as never, "/api/x", { params: { key, group: "g" }, body: { ids: [id] } });
    expect(acked.status).toBe(200);
    expect(await firingFor()).toEqual([]);
    const resolved = (await listAlerts(redis, Date.now())).filter((a) => a.stream === key);
    expect(resolved.every((a) => a.state === "resolved")).toBe(true);
  });
});
