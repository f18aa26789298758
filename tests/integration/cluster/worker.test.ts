import calculateSlot from "cluster-key-slot";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as alertsRoute } from "@/app/api/alerts/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { PUT as settingsPut } from "@/app/api/settings/route";
import { GET as workerGet, POST as workerPost } from "@/app/api/worker/route";
import type { AlertsResponse } from "@/lib/contract/alerts";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";
import { historyKeys } from "@/lib/history/store";
import { getWriteConnection } from "@/lib/redis/client";
import { periodsFrom } from "@/lib/shared/family-periods";
import { parseGroups } from "@/lib/streams/xinfo";
import { resetProcessState } from "@/lib/runtime/state";
import { startScheduler } from "@/lib/worker/scheduler";
import { tick } from "@/lib/worker/tick";
import type { WorkerJob } from "@/lib/worker/types";
import { workerKeys } from "@/lib/worker/keys";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";
import { sleep } from "../../helpers/worker";

const { raw, nodes } = privateCluster();
const p = "cw:";
const STUCK = Array.from({ length: 12 }, (_, i) => `${p}stuck${i}`);
const TRIMMED = Array.from({ length: 9 }, (_, i) => `${p}trim${i}`);
const EXPIRING = Array.from({ length: 9 }, (_, i) => `${p}exp${i}`);
const FAMILY = `${p}fam_<yyyyMMddHH>`;
const AHEAD = 5;

/** The address of the master serving a key's slot. */
function masterOf(key: string): string {
  return raw().slots[calculateSlot(key)]![0]!;
}

function spread(keys: readonly string[]): Set<string> {
  return new Set(keys.map(masterOf));
}

beforeAll(async () => {
  const r = raw();
  for (const key of STUCK) {
    for (let i = 0; i < 6; i++) await r.xadd(key, "*", "n", String(i));
    await r.xgroup("CREATE", key, "g", "0");
    await r.xreadgroup("GROUP", "g", "crashed", "COUNT", 6, "STREAMS", key, ">");
  }
  for (const key of TRIMMED) {
    const pipe = r.pipeline();
    for (let i = 0; i < 250; i++) pipe.xadd(key, "*", "n", String(i));
    await pipe.exec();
    await r.xgroup("CREATE", key, "t", "0");
    const read = (await r.xreadgroup("GROUP", "t", "c", "COUNT", 250, "STREAMS", key, ">")) as [
      string,
      [string, string[]][],
    ][];
    await r.xack(key, "t", ...read[0]![1].map(([id]) => id));
  }
  for (const key of EXPIRING) {
    await r.xadd(key, "*", "n", "1");
    await r.xgroup("CREATE", key, "g", "0");
    await r.pexpire(key, 60_000);
  }
  const saved = await callRoute(settingsPut as never, "/api/settings", {
    method: "PUT",
    body: {
      set: {
        families: [{ name: "fam", pattern: FAMILY, groups: ["g1", "g2"], ttlSeconds: 3600, ahead: AHEAD }],
        groups: [
          { stream: `${p}stuck*`, stuckAfterMs: 1000, policy: "reassign", reassignTo: "rescuer" },
          { stream: `${p}trim*`, trim: true },
        ],
        alerts: { rules: [{ stream: `${p}stuck*`, pendingOver: 2 }] },
      },
    },
  });
  expect([saved.status, saved.body]).toEqual([200, expect.anything()]);
  await sleep(1100);
}, 30_000);

describe("a worker tick on a 3-master cluster", () => {
  it("the test streams are on every master", () => {
    for (const keys of [STUCK, TRIMMED, EXPIRING]) expect(spread(keys).size).toBe(3);
  });

  it("rotates, guards, reclaims, trims, samples and alerts on every master in one tick", async () => {
    const now = Date.now();
    const redis = await getWriteConnection();
    const result = await tick({ redis, forced: true, now, keyMatch: `${p}*` });
    const job = (name: string) => result.jobs.find((j) => j.name === name)!;
    expect(result.jobs.filter((j) => j.error)).toEqual([]);
    expect(result.status).toBe("ok");

    // Rotation: every member created with both groups at 0 and its expiry, members on several masters.
    const members = periodsFrom(FAMILY, now, AHEAD, "UTC").map((period) => period.key);
    expect(spread(members).size).toBeGreaterThan(1);
    expect(job("rotation").counts.streamsCreated).toBe(AHEAD + 1);
    for (const [i, key] of members.entries()) {
      const period = periodsFrom(FAMILY, now, AHEAD, "UTC")[i]!;
      expect(await raw().type(key)).toBe("stream");
      expect(parseGroups(await raw().call("XINFO", "GROUPS", key)).map((g) => g.name)).toEqual(["g1", "g2"]);
      expect(await raw().call("EXPIRETIME", key)).toBe(Math.ceil(period.end / 1000) + 3600);
    }

    // Expiry guard: each expiring stream holds an unprocessed message, so each is extended.
    expect(job("expiry-guard").counts.extended).toBe(EXPIRING.length);
    for (const key of EXPIRING) expect(await raw().pttl(key)).toBeGreaterThan(10 * 60_000);

    // Reclaim: every stuck message on every master is now the rescuer's.
    expect(job("reclaim").counts.reassigned).toBe(STUCK.length * 6);
    for (const key of STUCK) {
      const owners = (await raw().xpending(key, "g")) as [number, string, string, [string, string][]];
      expect(owners[3]).toEqual([["rescuer", "6"]]);
    }

    // Trim: what the group acked is gone (~ trims whole nodes: at least 200 of 250).
    expect(job("trim").counts.streamsTrimmed).toBe(TRIMMED.length);
    for (const key of TRIMMED) expect(await raw().xlen(key)).toBeLessThanOrEqual(50);

    // History: one sample per stream and group on every master.
    for (const key of [...STUCK, ...TRIMMED, ...EXPIRING]) {
      expect(await raw().xlen(historyKeys.stream(key))).toBe(1);
    }
    expect(await raw().xlen(historyKeys.group(STUCK[0]!, "g"))).toBe(1);

    // Alerts: pending-over fires for every stuck stream, whichever master holds it.
    const alerts = await callRoute<AlertsResponse>(alertsRoute as never, "/api/alerts", { query: { state: "firing" } });
    expect(alerts.status).toBe(200);
    const pendingOver = alerts.body.alerts.filter((a) => a.rule === "pending-over").map((a) => a.stream);
    expect(new Set(pendingOver)).toEqual(new Set(STUCK));

    // The tick is recorded, and the lock is released.
    expect(await raw().llen(workerKeys.ticks())).toBe(1);
    expect(await raw().exists(workerKeys.lock())).toBe(0);
  });

  it("/api/metrics covers the streams of every master", async () => {
    const res = await callRoute<string>(metricsRoute as never, "/api/metrics");
    expect(res.status).toBe(200);
    for (const key of [...STUCK, ...TRIMMED, ...EXPIRING]) {
      expect(res.body).toContain(`redis_stream_length{stream="${key}"}`);
    }
    expect(res.body).toMatch(/streamscope_alerts_firing\{rule="pending-over",severity="warning"\} 12/);
    expect(res.body).toMatch(/streamscope_worker_last_tick_success 1/);
  });

  it("POST /api/worker runs a tick with the saved settings; GET /api/worker shows it", async () => {
    const run = await callRoute<TickResult>(workerPost as never, "/api/worker", { method: "POST", body: {} });
    expect(run.status).toBe(200);
    expect(run.body.jobs.filter((j) => j.error)).toEqual([]);
    expect(run.body.jobs.find((j) => j.name === "rotation")?.counts.families).toBe(1);
    const status = await callRoute<WorkerStatus>(workerGet as never, "/api/worker");
    expect(status.body.ticks[0]?.id).toBe(run.body.id);
    expect(status.body.lock.holder).toBeNull();
    expect(status.body.jobs.every((j) => j.lastRunAt !== null)).toBe(true);
  });

  it("the scheduler ticks on the cluster and announces itself (its keys on another master than the seed)", async () => {
    const before = await raw().llen(workerKeys.ticks());
    Object.assign(process.env, { WORKER: "on", WORKER_INTERVAL_MS: "1000", WORKER_MATCH: `${p}none*` });
    resetProcessState();
    const handle = startScheduler();
    try {
      await sleep(2600);
    } finally {
      handle?.stop();
      Object.assign(process.env, { WORKER: "off" });
      delete process.env.WORKER_INTERVAL_MS;
      delete process.env.WORKER_MATCH;
      resetProcessState();
    }
    expect(await raw().llen(workerKeys.ticks())).toBeGreaterThan(before);
    expect(await raw().hget(workerKeys.scheduler(), "intervalMs")).toBe("1000");
  });

  it("a tick whose lock is lost (a failover that lost the lock's last write) stops writing within its lease", async () => {
    const LEASE = 900;
    const writes: number[] = [];
    let takenAt = 0;
    const writer: WorkerJob = {
      name: "writer",
      cadenceMs: 0,
      async run(ctx) {
        for (let i = 0; i < 60; i++) {
          await ctx.heartbeat();
          await ctx.redis.incr(`${p}lease-writes`);
          writes.push(Date.now());
          await sleep(50);
        }
        return { counts: {}, notes: [] };
      },
    };
    const redis = await getWriteConnection();
    const a = tick({ redis, instance: "A", forced: true, jobs: [writer], lockTtlMs: LEASE, record: false });
    await sleep(300);
    // The promoted replica never saw the lock: another instance takes it at once.
    await raw().del(workerKeys.lock());
    const b = await tick({
      redis,
      instance: "B",
      forced: true,
      jobs: [{ name: "other", cadenceMs: 0, run: async () => ((takenAt = Date.now()), { counts: {}, notes: [] }) }],
      lockTtlMs: LEASE,
      waitMs: 0,
      record: false,
    });
    expect(b.status).toBe("ok");
    const result = await a;
    expect(result.jobs[0]!.error).toMatch(/lock lost/);
    // A stopped at its next renewal, well within one lease of B taking the lock.
    expect(writes.at(-1)! - takenAt).toBeLessThan(LEASE);
    expect(writes.length).toBeLessThan(60);
  });

  it("a tick whose renewals cannot be confirmed (the lock's master stalls) stops at the end of its lease", async () => {
    const LEASE = 600;
    const lockNode = nodes().find((n) => `127.0.0.1:${n.options.port}` === masterOf(workerKeys.lock()))!;
    const elsewhere = Array.from({ length: 20 }, (_, i) => `${p}stall${i}`).filter(
      (k) => masterOf(k) !== masterOf(workerKeys.lock()),
    );
    const writes: number[] = [];
    const writer: WorkerJob = {
      name: "writer",
      cadenceMs: 0,
      async run(ctx) {
        for (let i = 0; i < 60; i++) {
          await ctx.heartbeat();
          // When the write is sent: the lease bounds when writes may start.
          writes.push(Date.now());
          await ctx.redis.incr(elsewhere[i % elsewhere.length]!);
          await sleep(25);
        }
        return { counts: {}, notes: [] };
      },
    };
    const a = tick({
      redis: await getWriteConnection(),
      instance: "A",
      forced: true,
      jobs: [writer],
      lockTtlMs: LEASE,
      record: false,
    });
    await sleep(100);
    // Scripts (the renewal) wait while the node is paused; the other masters take writes.
    await lockNode.call("CLIENT", "PAUSE", 1500, "WRITE");
    // No renewal started after this can be confirmed before the pause ends, so the lease ends by then + LEASE.
    const pausedBy = Date.now();
    const result = await a;
    // Either the renewal came back too late for the lease, or the lock had expired meanwhile.
    expect(result.jobs[0]!.error).toMatch(/lock lost \((no renewal confirmed within the lease|it expired)/);
    expect(Math.max(...writes)).toBeLessThanOrEqual(pausedBy + LEASE);
    expect(writes.length).toBeLessThan(60);
  });
});
