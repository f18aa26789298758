import { describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import type { HealthResponse } from "@/lib/contract/common";
import { getConnection, getWriteConnection, isClusterMode } from "@/lib/redis/client";
import { isCluster, mastersOf, nodeAddress } from "@/lib/redis/connection";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";

const { cluster } = privateCluster();

describe("a Redis Cluster named by one node", () => {
  it("is detected from that one seed, and every master is found", async () => {
    expect(await isClusterMode()).toBe(true);
    const conn = await getConnection();
    expect(isCluster(conn)).toBe(true);
    await conn.ping();
    const masters = mastersOf(conn).map(nodeAddress);
    expect(masters).toEqual(
      cluster()
        .masters.map((m) => `127.0.0.1:${m.port}`)
        .sort(),
    );
    // One read and one write Cluster client per process, whatever asks again.
    expect(await getConnection()).toBe(conn);
    const write = await getWriteConnection();
    expect(isCluster(write)).toBe(true);
    expect(write).not.toBe(conn);
    expect(await getWriteConnection()).toBe(write);
    // The write connection sends no command twice on its own, on any node.
    if (!isCluster(write) || !isCluster(conn)) throw new Error("not cluster clients");
    expect(write.options.retryDelayOnFailover).toBe(0);
    expect(write.options.redisOptions?.autoResendUnfulfilledCommands).toBe(false);
    expect(conn.options.retryDelayOnFailover).toBeGreaterThan(0);
  });

  it("health says cluster and lists the 3 masters with the slots they serve", async () => {
    const res = await callRoute<HealthResponse>(healthRoute as never, "/api/health");
    expect(res.status).toBe(200);
    if (res.body.status !== "ok") throw new Error("health failed");
    expect(res.body.redis.mode).toBe("cluster");
    const nodes = res.body.redis.nodes!;
    expect(nodes.map((n) => n.address)).toEqual(
      cluster()
        .masters.map((m) => `127.0.0.1:${m.port}`)
        .sort(),
    );
    expect(nodes.every((n) => n.role === "master" && n.reachable && n.id.length === 40)).toBe(true);
    const ranges = nodes.flatMap((n) => n.slots).sort((a, b) => a[0] - b[0]);
    expect(ranges[0]![0]).toBe(0);
    expect(ranges.at(-1)![1]).toBe(16383);
    const covered = ranges.reduce((n, [from, to]) => n + to - from + 1, 0);
    expect(covered).toBe(16384);
  });
});
