/**
 * Stream scope beyond `{key}` routes: a token limited to `orders_*` must not see, silence or
 * change anything of another stream, whatever route it calls. The leak check calls every GET
 * route on disk, so a new route that names streams without filtering fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertKeys } from "@/lib/alerts/store";
import { resetProcessState } from "@/lib/runtime/state";
import { tick } from "@/lib/worker";
import { SCOPED_DETAILS_NOTE } from "@/lib/worker/status";
import { callRoute } from "../helpers/route";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { tokenCallers } from "../helpers/token-caller";
import { discoverRoutes, fillPattern, type DiscoveredRoute } from "../helpers/routes";
import { ROUTE_SCOPE } from "../helpers/route-permissions";
import type { Alert, AlertsResponse } from "@/lib/contract/alerts";
import type { RatesResponse } from "@/lib/contract/history";
import type { WorkerStatus } from "@/lib/contract/worker";
import * as workerRoute from "@/app/api/worker/route";
import * as alertsRoute from "@/app/api/alerts/route";
import * as silenceRoute from "@/app/api/alerts/[id]/silence/route";
import * as ratesRoute from "@/app/api/history/rates/route";
import * as metricsRoute from "@/app/api/metrics/route";

const redis = testRedis();
const prefix = uniquePrefix("scope");
const mine = `${prefix}orders_1`;
const theirs = `${prefix}payments_1`;
const OTHER = "payments_1";
const { headers } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  tokens: {
    scoped: { token: "tok-scoped-orders-0123456789abcdef0123", role: "operator", streams: [`${prefix}orders_*`] },
    global: { token: "tok-global-operator-0123456789abcdef01", role: "operator" },
  },
  config: {
    groups: [{ stream: `${prefix}*`, trim: true, stuckAfterMs: 100, policy: "alert" }],
    alerts: { rules: [{ stream: `${prefix}*`, pendingOver: 0 }] },
  },
});
const scoped = headers("scoped");
const global = headers("global");

let routes: DiscoveredRoute[] = [];

async function seed(key: string) {
  const pipe = redis.pipeline();
  for (let i = 1; i <= 300; i++) pipe.xadd(key, `${i}-1`, "n", String(i));
  await pipe.exec();
  // Entries up to 250-1 are done with (trimmable, in whole nodes); 251-1 and 252-1 stay pending.
  await redis.xgroup("CREATE", key, "g", "250-1");
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", 2, "STREAMS", key, ">");
}

beforeAll(async () => {
  process.env.WORKER_MATCH = `${prefix}*`;
  resetProcessState();
  await seed(mine);
  await seed(theirs);
  routes = await discoverRoutes();
});

afterAll(() => {
  delete process.env.WORKER_MATCH;
  resetProcessState();
});

describe("out of scope answers like missing", () => {
  it("every GET route with a {key} answers an out-of-scope stream, hash or missing key alike: 404 as for a missing stream", async () => {
    const hash = `${prefix}payments_h`;
    const missing = `${prefix}payments_gone`;
    await redis.hset(hash, "f", "v");
    for (const route of routes.filter((r) => r.method === "GET" && r.pattern.includes("[key]"))) {
      const call = async (key: string, headers: Record<string, string>) => {
        const { path, params } = fillPattern(route.pattern, { key, group: "g", consumer: "c" });
        const res = await callRoute<{ error?: { code: string; message: string } }>(route.handler, path, {
          params,
          headers,
        });
        return { status: res.status, body: JSON.parse(JSON.stringify(res.body).replaceAll(key, "KEY")) as unknown };
      };
      const gone = await call(missing, scoped);
      expect(gone, route.id).toEqual({
        status: 404,
        body: { error: { code: "NOT_FOUND", message: 'No stream named "KEY"' } },
      });
      expect(await call(hash, scoped), route.id).toEqual(gone);
      expect(await call(theirs, scoped), route.id).toEqual(gone);
      const absent = await call(missing, global);
      if (absent.status === 404) expect(absent, route.id).toEqual(gone);
    }
  });
});

describe("stream scope on routes without a {key}", () => {
  it("refuses the worker run, alert evaluation and history sampling to a scoped caller (nothing trimmed)", async () => {
    for (const route of routes.filter((r) => ROUTE_SCOPE[r.id] === "global" && r.method === "POST")) {
      const res = await callRoute(route.handler, route.pattern, { method: "POST", body: {}, headers: scoped });
      expect(res.status, route.id).toBe(403);
    }
    const res = await callRoute(workerRoute.POST, "/api/worker", { method: "POST", body: {}, headers: scoped });
    expect(res.status).toBe(403);
    expect(await redis.xlen(theirs)).toBe(300);
    expect(await redis.xlen(mine)).toBe(300);
  });

  it("a full tick run by a global caller names both streams (what the scoped caller must not see)", async () => {
    const res = await callRoute<{ jobs: { notes: string[] }[] }>(workerRoute.POST, "/api/worker", {
      method: "POST",
      body: {},
      headers: global,
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain(OTHER);
    expect(await redis.xlen(theirs)).toBeLessThan(300);
    // A second sample gives the rates something to compute.
    await tick({ redis, forced: true, keyMatch: `${prefix}*`, now: Date.now() + 20_000 });
    const all = await callRoute<AlertsResponse>(alertsRoute.GET, "/api/alerts", { headers: global });
    expect(all.body.alerts.some((a) => a.stream === theirs)).toBe(true);
  });

  it("no GET route answers a scoped caller with a stream outside its scope", async () => {
    const leaks: string[] = [];
    for (const route of routes.filter((r) => r.method === "GET")) {
      const { path, params } = fillPattern(route.pattern, { key: mine, group: "g", consumer: "c", id: "0" });
      const res = await callRoute(route.handler, path, { params, headers: scoped });
      const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
      if (text.includes(OTHER))
        leaks.push(`${route.id} (${res.status}): ${text.slice(text.indexOf(OTHER) - 80, text.indexOf(OTHER) + 40)}`);
    }
    expect(leaks).toEqual([]);
  });

  it("lists only the alerts of streams in scope, and silencing another stream's alert is 404 like an unknown id", async () => {
    const all = (await callRoute<AlertsResponse>(alertsRoute.GET, "/api/alerts", { headers: global })).body.alerts;
    const other = all.find((a) => a.stream === theirs) as Alert;
    const own = all.find((a) => a.stream === mine) as Alert;
    const seen = (await callRoute<AlertsResponse>(alertsRoute.GET, "/api/alerts", { headers: scoped })).body.alerts;
    expect(seen.map((a) => a.stream)).toEqual(seen.map(() => mine));
    expect(seen.map((a) => a.id)).toContain(own.id);

    const silence = (id: string) =>
      callRoute(silenceRoute.POST, `/api/alerts/${id}/silence`, {
        method: "POST",
        params: { id },
        body: { forMs: 60_000 },
        headers: scoped,
      });
    const refused = await silence(other.id);
    const unknown = await silence("abcdef");
    expect(refused.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect((refused.body as { error: { message: string } }).error.message).toBe(`No alert with id "${other.id}"`);
    expect(await redis.hexists(alertKeys.silences(), other.id)).toBe(0);
    expect((await silence(own.id)).status).toBe(200);
  });

  it("answers rates of an out-of-scope stream as for a stream without history", async () => {
    const rates = (headers: Record<string, string>) =>
      callRoute<RatesResponse>(
        ratesRoute.GET,
        `/api/history/rates?key=${encodeURIComponent(theirs)}&key=${encodeURIComponent(`${prefix}none`)}`,
        { headers },
      );
    const globally = (await rates(global)).body.rates;
    expect(globally[theirs]!.points.length).toBeGreaterThan(0);
    const limited = (await rates(scoped)).body.rates;
    expect(limited[theirs]).toEqual(limited[`${prefix}none`]);
  });

  it("shows a scoped caller the worker's ticks without counts or notes, and metrics without other streams' alerts", async () => {
    const status = (await callRoute<WorkerStatus>(workerRoute.GET, "/api/worker", { headers: scoped })).body;
    const ran = status.ticks[0]!.jobs.filter((j) => j.ran);
    expect(ran.length).toBeGreaterThan(0);
    for (const job of ran) {
      expect(job.counts).toEqual({});
      expect(job.notes.every((n) => n === SCOPED_DETAILS_NOTE)).toBe(true);
    }
    const limited = await callRoute<string>(metricsRoute.GET, "/api/metrics", { headers: scoped });
    const everything = await callRoute<string>(metricsRoute.GET, "/api/metrics", { headers: global });
    const firing = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.startsWith("streamscope_alerts_firing{"))
        .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
    expect(firing(everything.body)).toBeGreaterThan(firing(limited.body));
    expect(limited.body).not.toContain("streamscope_worker_job_result{");
  });
});
