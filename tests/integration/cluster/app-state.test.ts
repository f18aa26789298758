import calculateSlot from "cluster-key-slot";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as alertsRoute } from "@/app/api/alerts/route";
import { POST as evaluateRoute } from "@/app/api/alerts/evaluate/route";
import { POST as silenceRoute } from "@/app/api/alerts/[id]/silence/route";
import { GET as auditRoute } from "@/app/api/audit/route";
import { GET as settingsGet, PUT as settingsPut } from "@/app/api/settings/route";
import { alertKeys } from "@/lib/alerts/store";
import { auditKey } from "@/lib/audit/audit";
import { SETTINGS_KEY } from "@/lib/config/settings";
import type { AlertsResponse, SilenceResponse } from "@/lib/contract/alerts";
import type { AuditResponse } from "@/lib/contract/audit";
import type { SettingsResponse } from "@/lib/contract/settings";
import { getConnection } from "@/lib/redis/client";
import { redisNowMs, stuckSnapshotKey } from "@/lib/streams/stuck-snapshot";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";

const { cluster, raw, nodes } = privateCluster();
const p = "cas:";
const STREAMS = Array.from({ length: 12 }, (_, i) => `${p}s${i}`);

const masterOf = (key: string) => raw().slots[calculateSlot(key)]![0]!;
const seed = () => `127.0.0.1:${cluster().masters[0]!.port}`;

beforeAll(async () => {
  for (const key of STREAMS) {
    for (let i = 0; i < 3; i++) await raw().xadd(key, "*", "n", String(i));
    await raw().xgroup("CREATE", key, "g", "0");
    await raw().xreadgroup("GROUP", "g", "c", "COUNT", 3, "STREAMS", key, ">");
  }
}, 20_000);

describe("the app's own state on a 3-master cluster", () => {
  it("settings: an edit is saved, read back and audited; the audit trail on another master than the seed is read", async () => {
    const put = await callRoute<SettingsResponse>(settingsPut as never, "/api/settings", {
      method: "PUT",
      body: { set: { alerts: { rules: [{ stream: `${p}*`, pendingOver: 1 }] } } },
    });
    expect(put.status).toBe(200);
    expect(JSON.parse((await raw().get(SETTINGS_KEY()))!)).toEqual({
      alerts: { rules: [{ stream: `${p}*`, pendingOver: 1 }] },
    });
    const get = await callRoute<SettingsResponse>(settingsGet as never, "/api/settings");
    expect(get.body.sections.alerts).toBe("saved");
    expect(get.body.settings.alerts.rules).toEqual([expect.objectContaining({ stream: `${p}*`, pendingOver: 1 })]);

    // The trail is not on the node REDIS_URL names: written through the Cluster client, it is there.
    expect(masterOf(auditKey())).not.toBe(seed());
    const audit = await callRoute<AuditResponse>(auditRoute as never, "/api/audit", {
      query: { action: "settings.update" },
    });
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toEqual([expect.objectContaining({ action: "settings.update", verified: true })]);
  });

  it("alerts: evaluated over every master, listed, silenced and unsilenced; the store's keys share one slot", async () => {
    const evaluated = await callRoute(evaluateRoute as never, "/api/alerts/evaluate", { method: "POST", body: {} });
    expect(evaluated.status).toBe(200);
    const list = await callRoute<AlertsResponse>(alertsRoute as never, "/api/alerts", { query: { state: "firing" } });
    const mine = list.body.alerts.filter((a) => a.rule === "pending-over");
    expect(new Set(mine.map((a) => a.stream))).toEqual(new Set(STREAMS));
    expect(new Set(STREAMS.map(masterOf)).size).toBe(3);

    const id = mine[0]!.id;
    const silenced = await callRoute<SilenceResponse>(silenceRoute as never, `/api/alerts/${id}/silence`, {
      params: { id },
      body: { forMs: 60_000 },
    });
    expect(silenced.status).toBe(200);
    expect(silenced.body.alert.silencedUntil).toBeGreaterThan(Date.now());
    const lifted = await callRoute<SilenceResponse>(silenceRoute as never, `/api/alerts/${id}/silence`, {
      params: { id },
      body: { forMs: 0 },
    });
    expect(lifted.body.alert.silencedUntil).toBeNull();

    // A second evaluation with one stream fixed resolves its alert (the store's MULTI and script on a cluster).
    await raw().xack(
      STREAMS[0]!,
      "g",
      ...((await raw().xpending(STREAMS[0]!, "g", "-", "+", 10)) as [string][]).map((e) => e[0]),
    );
    await callRoute(evaluateRoute as never, "/api/alerts/evaluate", { method: "POST", body: {} });
    const after = await callRoute<AlertsResponse>(alertsRoute as never, "/api/alerts");
    const first = after.body.alerts.find((a) => a.rule === "pending-over" && a.stream === STREAMS[0]);
    expect(first?.state).toBe("resolved");

    const redis = await getConnection();
    const keys = [alertKeys.records(redis), alertKeys.resolved(redis), alertKeys.silences(redis)];
    expect(keys).toEqual([
      "streamscope:{alerts}:records",
      "streamscope:{alerts}:resolved",
      "streamscope:{alerts}:silences",
    ]);
    expect(new Set(keys.map((k) => calculateSlot(k))).size).toBe(1);
    expect(await raw().zcard(alertKeys.resolved(redis))).toBe(1);
  });

  it("the stuck snapshot's clock (TIME) is asked of the master holding the snapshot, every time", async () => {
    const redis = await getConnection();
    for (const n of nodes()) await n.config("RESETSTAT");
    for (let i = 0; i < 5; i++) expect(Math.abs((await redisNowMs(redis)) - Date.now())).toBeLessThan(1000);
    const calls = await Promise.all(
      nodes().map(async (n) => Number(/cmdstat_time:calls=(\d+)/.exec(await n.info("commandstats"))?.[1] ?? 0)),
    );
    const holder = cluster().masters.findIndex((m) => `127.0.0.1:${m.port}` === masterOf(stuckSnapshotKey()));
    expect(calls).toEqual(calls.map((_, i) => (i === holder ? 5 : 0)));
  });
});
