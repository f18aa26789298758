/**
 * GET /api/cluster on a 3-master, 3-replica cluster: every node with its role, master and slots,
 * each master's streams, pending and hottest streams, so a family pinned to one node by a hash
 * tag shows. No command over 10 ms on any node.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as clusterRoute } from "@/app/api/cluster/route";
import { GET as healthRoute } from "@/app/api/health/route";
import type { ClusterResponse } from "@/lib/contract/cluster";
import type { HealthResponse } from "@/lib/contract/common";
import { getConnection } from "@/lib/redis/client";
import { isCluster } from "@/lib/redis/connection";
import { slotOf } from "@/lib/redis/slots";
import { dropMasterFromPool, privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";
import { expectNoSlowDashboardCommands, resetSlowLog } from "../../helpers/slowlog";

const { cluster, raw, nodes } = privateCluster({ replicas: 1 });
const SPREAD = 60;
const PINNED = 30;

beforeAll(async () => {
  for (let i = 0; i < SPREAD; i++) await raw().xadd(`cl:spread:${i}`, "*", "n", String(i));
  for (let i = 0; i < PINNED; i++) {
    const key = `cl:{orders}:${i}`;
    for (let e = 0; e < 3; e++) await raw().xadd(key, "*", "n", String(e));
    await raw().xgroup("CREATE", key, "g", "0");
    await raw().xreadgroup("GROUP", "g", "c", "COUNT", 1 + (i % 3), "STREAMS", key, ">");
  }
  await raw().set("cl:not-a-stream", "x");
  await resetSlowLog(nodes());
}, 60_000);

async function overview(): Promise<ClusterResponse> {
  const res = await callRoute<ClusterResponse>(clusterRoute as never, "/api/cluster");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("GET /api/cluster", () => {
  it("lists every node: masters by address, each followed by its replica, with slots and INFO numbers", async () => {
    // Replicas take a moment to show as connected in every node's view.
    await expect
      .poll(async () => (await overview()).nodes.filter((n) => n.reachable).length, { timeout: 15_000 })
      .toBe(6);
    const body = await overview();
    expect(body.mode).toBe("cluster");
    const addresses = cluster().nodes.map((n) => `127.0.0.1:${n.port}`);
    expect(new Set(body.nodes.map((n) => n.address))).toEqual(new Set(addresses));
    expect(body.nodes.map((n) => n.role)).toEqual(["master", "replica", "master", "replica", "master", "replica"]);
    for (let i = 0; i < 6; i += 2) {
      const [master, replica] = [body.nodes[i]!, body.nodes[i + 1]!];
      expect(replica.masterOf).toBe(master.address);
      expect(replica.slots).toEqual([]);
      expect(replica.streams).toBeNull();
      expect(replica.usedMemoryBytes).toBeGreaterThan(0);
      expect(master.masterOf).toBeNull();
      expect(master.slotCount).toBeGreaterThan(5000);
      expect(master.usedMemoryBytes).toBeGreaterThan(0);
      expect(master.opsPerSec).toBeGreaterThanOrEqual(0);
    }
    const masters = body.nodes.filter((n) => n.role === "master");
    expect(masters.map((m) => m.address)).toEqual([...masters.map((m) => m.address)].sort());
    expect(masters.reduce((t, m) => t + m.slotCount, 0)).toBe(16384);
  });

  it("counts each master's streams and shows the family pinned by its hash tag on one node", async () => {
    const masters = (await overview()).nodes.filter((n) => n.role === "master");
    expect(masters.reduce((t, m) => t + m.streams!.count, 0)).toBe(SPREAD + PINNED);
    expect(masters.every((m) => m.streams!.atLeast === false && m.streams!.partial === false)).toBe(true);
    const slot = slotOf("{orders}");
    const home = masters.find((m) => m.slots.some(([from, to]) => from <= slot && slot <= to))!;
    expect(home.streams!.count).toBeGreaterThanOrEqual(PINNED);
    // 1 + (i % 3) pending per stream.
    expect(home.streams!.pending).toBe(PINNED * 2);
    expect(home.streams!.hottest.map((h) => h.pending)).toEqual([3, 3, 3, 3, 3]);
    expect(home.streams!.hottest.every((h) => h.key.startsWith("cl:{orders}:") && h.length === 3)).toBe(true);
    for (const m of masters.filter((x) => x !== home)) {
      expect(m.streams!.pending).toBe(0);
      expect(m.streams!.hottest.every((h) => h.key.startsWith("cl:spread:"))).toBe(true);
    }
  });

  it("with a master gone from the app's pool, the page and the health check still answer every master and replica", async () => {
    const masterAddresses = cluster().masters.map((m) => `127.0.0.1:${m.port}`);
    const dropMaster = async () => {
      const conn = await getConnection();
      if (!isCluster(conn)) throw new Error("not a cluster client");
      await dropMasterFromPool(conn);
    };

    await dropMaster();
    const masters = (await overview()).nodes.filter((n) => n.role === "master");
    expect(new Set(masters.map((m) => m.address))).toEqual(new Set(masterAddresses));
    expect(masters.reduce((t, m) => t + m.streams!.count, 0)).toBe(SPREAD + PINNED);

    await dropMaster();
    const health = await callRoute<HealthResponse>(healthRoute as never, "/api/health");
    expect(health.status).toBe(200);
    if (health.body.status !== "ok") throw new Error("health failed");
    expect(new Set(health.body.redis.replicas!.map((r) => r.master))).toEqual(new Set(masterAddresses));
    expect(health.body.redis.replicas).toHaveLength(3);
  });

  it("no node's slow log shows a dashboard command over 10 ms", async () => {
    await expectNoSlowDashboardCommands(nodes());
  });
});
