import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { closeRedis, getConnection, isClusterMode } from "@/lib/redis/client";
import { isCluster, mastersOf } from "@/lib/redis/connection";
import { cleanPrefix, testRedis, uniquePrefix } from "../../helpers/redis";
import { callRoute } from "../../helpers/route";

const redis = testRedis();
const prefix = uniquePrefix("standalone-cursor");

beforeAll(async () => {
  for (let i = 0; i < 60; i++) await redis.xadd(`${prefix}s${i}`, "*", "n", String(i));
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("a single server, next to cluster support", () => {
  it("is not taken for a cluster: its connection is the single client", async () => {
    expect(await isClusterMode()).toBe(false);
    const conn = await getConnection();
    expect(isCluster(conn)).toBe(false);
    expect(mastersOf(conn)).toEqual([conn]);
  });

  it("answers plain SCAN cursors, and takes them back", async () => {
    const seen: string[] = [];
    let cursor = "0";
    let pages = 0;
    do {
      const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
        query: { match: `${prefix}*`, cursor, count: 50 },
      });
      expect(res.status).toBe(200);
      expect(res.body.cursor).toMatch(/^\d+$/);
      expect(res.body.topologyChanged).toBeUndefined();
      seen.push(...res.body.streams.map((r) => r.key));
      cursor = res.body.cursor;
      pages++;
      // Other test files share this server: the walk pages over all their keys too.
    } while (cursor !== "0" && pages < 20_000);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(60);
  });

  it("refuses a cursor that is neither form", async () => {
    const res = await callRoute(listRoute as never, "/api/streams", { query: { cursor: "x-1-0" } });
    expect(res.status).toBe(400);
  });
});
