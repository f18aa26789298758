/** GET /api/cluster on a single server: mode "single" and that one server with its streams. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as clusterRoute } from "@/app/api/cluster/route";
import type { ClusterResponse } from "@/lib/contract/cluster";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("clusterroute");

beforeAll(async () => {
  for (let i = 0; i < 5; i++) await redis.xadd(`${prefix}s${i}`, "*", "n", String(i));
  await redis.xgroup("CREATE", `${prefix}s0`, "g", "0");
  await redis.xreadgroup("GROUP", "g", "c", "STREAMS", `${prefix}s0`, ">");
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("GET /api/cluster on a single server", () => {
  it("answers mode single with the one server, its streams and INFO numbers", async () => {
    const res = await callRoute<ClusterResponse>(clusterRoute as never, "/api/cluster");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.mode).toBe("single");
    expect(res.body.nodes).toHaveLength(1);
    const [node] = res.body.nodes;
    expect(node).toMatchObject({ id: null, role: "master", masterOf: null, slots: [], slotCount: 0, reachable: true });
    expect(node!.address).toBe(new URL(process.env.REDIS_URL!).host);
    expect(node!.streams!.count).toBeGreaterThanOrEqual(5);
    expect(node!.streams!.pending).toBeGreaterThanOrEqual(1);
    expect(node!.usedMemoryBytes).toBeGreaterThan(0);
    expect(node!.opsPerSec).not.toBeNull();
  });
});
