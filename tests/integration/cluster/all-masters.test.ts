/**
 * allMasters when the client's pool lacks a master and its slot refreshes cannot bring it back:
 * the cluster is at its client limit, so the refresher's new connections are refused while the
 * connections the client already holds go on answering.
 */
import { Cluster } from "ioredis";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { allMasters, mastersNow, mastersOf, nodeAddress } from "@/lib/redis/connection";
import { dropMasterFromPool, privateCluster } from "../../helpers/cluster";

const { cluster, nodes } = privateCluster();

/** Runs `fn` while every node refuses new connections (those already open stay). */
async function atClientLimit<T>(fn: () => Promise<T>): Promise<T> {
  const before = await Promise.all(nodes().map(async (n) => (await n.config("GET", "maxclients")) as string[]));
  await Promise.all(nodes().map((n) => n.config("SET", "maxclients", "1")));
  try {
    return await fn();
  } finally {
    await Promise.all(nodes().map((n, i) => n.config("SET", "maxclients", before[i]![1]!)));
  }
}

describe("allMasters with a master missing from the client's pool", () => {
  it("rejects with REDIS_UNAVAILABLE after the wait; with partial it answers the masters it has", async () => {
    const client = new Cluster([{ host: "127.0.0.1", port: cluster().masters[0]!.port }]);
    client.on("error", () => undefined);
    client.on("node error", () => undefined);
    try {
      await dropMasterFromPool(client);
      const left = mastersOf(client);
      // Open the client's connections to the masters it has before new ones are refused.
      await Promise.all(left.map((n) => n.ping()));
      const all = cluster().masters.map((m) => `127.0.0.1:${m.port}`);
      expect(all.filter((a) => !left.map(nodeAddress).includes(a))).toHaveLength(1);

      await atClientLimit(async () => {
        const started = Date.now();
        const err = await allMasters(client).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(AppError);
        expect(err).toMatchObject({ code: "REDIS_UNAVAILABLE", status: 503 });
        expect((err as AppError).message).toContain("1 of the cluster's 3 masters");
        // Every wait of the schedule was spent before giving up.
        expect(Date.now() - started).toBeGreaterThanOrEqual(3000);

        const partial = await allMasters(client, { partial: true });
        expect(partial.map(nodeAddress)).toEqual(left.map(nodeAddress));

        // mastersNow answers the pool's view, and with `whole` is allMasters.
        expect((await mastersNow(client)).map(nodeAddress)).toEqual(left.map(nodeAddress));
        await expect(mastersNow(client, { whole: true })).rejects.toMatchObject({
          code: "REDIS_UNAVAILABLE",
          status: 503,
        });
      });
    } finally {
      client.disconnect();
    }
  });

  it("mastersNow connects a client that has not loaded its slots yet, then answers every master", async () => {
    const client = new Cluster([{ host: "127.0.0.1", port: cluster().masters[0]!.port }], { lazyConnect: true });
    client.on("error", () => undefined);
    try {
      expect(mastersOf(client)).toEqual([]);
      const all = cluster()
        .masters.map((m) => `127.0.0.1:${m.port}`)
        .sort();
      expect((await mastersNow(client)).map(nodeAddress)).toEqual(all);
      expect((await mastersNow(client, { whole: true })).map(nodeAddress)).toEqual(all);
    } finally {
      client.disconnect();
    }
  });
});
