/**
 * What some reads cost Redis, counted by INFO commandstats on a server of this file's own: the
 * pending page reads consecutive pending entries in one range, and the stream list reads its
 * poison marks by id, not every alert kept.
 */
import { describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { alertKeys } from "@/lib/alerts/store";
import { pendingQuerySchema } from "@/lib/contract/pending";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { readPendingPage } from "@/lib/pending/page";
import { measureCommands } from "../helpers/command-stats";
import { deliver } from "../helpers/pending";
import { privateRedis } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { makeSettings } from "../helpers/settings";

const own = privateRedis();
const redis = () => own.raw();

describe("reads that cost Redis one command where they could cost one per entry", () => {
  it("a pending page of 50 consecutive entries reads their fields in at most 3 XRANGEs", async () => {
    await redis().xgroup("CREATE", "dense", "g", "0", "MKSTREAM");
    for (let i = 0; i < 60; i++) await redis().xadd("dense", "*", "n", String(i));
    await deliver(redis(), "dense", "g", "c1", 60);
    for (const withFields of ["0", "1"]) {
      const query = pendingQuerySchema.parse({ count: 50, withFields });
      let page = await readPendingPage(redis(), "dense", "g", query);
      const stats = await measureCommands(redis(), async () => {
        page = await readPendingPage(redis(), "dense", "g", query);
      });
      expect(page.entries).toHaveLength(50);
      expect(stats.byCommand.xrange).toBeLessThanOrEqual(3);
    }
  });

  it("the stream list reads its poison marks by id among 20,000 other firing alerts (HMGET, no HGETALL)", async () => {
    await redis().xgroup("CREATE", "sick", "g", "0", "MKSTREAM");
    await redis().xadd("sick", "1-0", "n", "1");
    await redis().xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", "sick", ">");
    await redis().call("XCLAIM", "sick", "g", "c", 0, "1-0", "RETRYCOUNT", 99);
    await evaluateAlerts(redis(), makeSettings({}), { now: Date.now(), match: "sick" });
    const others: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const record = {
        id: `other${i}`,
        rule: "poison",
        state: "firing",
        stream: `elsewhere:${i}`,
        group: "g",
        value: 50,
      };
      others.push(record.id, JSON.stringify(record));
    }
    await redis().hset(alertKeys.records(), ...others);

    let body: StreamsListResponse | undefined;
    const stats = await measureCommands(redis(), async () => {
      const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
        query: { match: "sick", cursor: "0", count: 1000 },
      });
      expect(res.status).toBe(200);
      body = res.body;
    });
    expect(body!.streams.map((r) => [r.key, r.poison])).toEqual([["sick", { group: "g", deliveries: 99 }]]);
    expect(stats.byCommand.hmget).toBeGreaterThanOrEqual(1);
    expect(stats.byCommand.hgetall ?? 0).toBe(0);
  });
});
