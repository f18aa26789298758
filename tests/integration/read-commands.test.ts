/**
 * What some reads cost Redis, counted by INFO commandstats on a server of this file's own: the
 * pending page reads consecutive pending entries in one range (other readers of entries by id one
 * per id), and the stream list reads its poison marks by id, not every alert kept.
 */
import { describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { GET as alertsRoute } from "@/app/api/alerts/route";
import { alertKeys } from "@/lib/alerts/store";
import { MAX_ALERTS_ANSWER, type AlertsResponse } from "@/lib/contract/alerts";
import { pendingQuerySchema } from "@/lib/contract/pending";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { readPendingPage } from "@/lib/pending/page";
import { readEntriesById } from "@/lib/streams/entries-by-id";
import { alertRecord, alertRecordFields } from "../helpers/alert-record";
import { measureCommands } from "../helpers/command-stats";
import { deliver } from "../helpers/pending";
import { privateRedis } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { makeSettings } from "../helpers/settings";

const MiB = 1024 * 1024;
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

  it("entries by id of unknown size (reclaim, redrive) are read one XRANGE each, never one range over MiB entries", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await redis().xadd("fat", "*", "payload", Buffer.alloc(2 * MiB, 97)))!);
    let found: unknown[] = [];
    const perId = await measureCommands(redis(), async () => {
      found = await readEntriesById(redis(), "fat", ids);
    });
    expect(found.map((r) => (r as unknown[]).length)).toEqual(Array(10).fill(1));
    expect(perId.byCommand.xrange).toBe(10);
    // A caller that bounds its batch's bytes (the pending page) may ask for the range.
    const ranged = await measureCommands(redis(), () => readEntriesById(redis(), "fat", ids, { worth: true }));
    expect(ranged.byCommand.xrange).toBe(1);
  });

  it("the stream list reads its poison marks by id among 20,000 other firing alerts (HMGET, no HGETALL)", async () => {
    await redis().xgroup("CREATE", "sick", "g", "0", "MKSTREAM");
    await redis().xadd("sick", "1-0", "n", "1");
    await redis().xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", "sick", ">");
    await redis().call("XCLAIM", "sick", "g", "c", 0, "1-0", "RETRYCOUNT", 99);
    await evaluateAlerts(redis(), makeSettings({}), { now: Date.now(), match: "sick" });
    const others = Array.from({ length: 20_000 }, (_, i) =>
      alertRecord(`other${i}`, { stream: `elsewhere:${i}`, value: 50 }),
    );
    await redis().hset(alertKeys.records(), ...alertRecordFields(others));

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

  it("the alerts list reads the alert store in HSCAN pages and answers at most MAX_ALERTS_ANSWER, most severe first, with totals", async () => {
    // 20,000 poison records (warning) of the test above are kept; add 10 critical ones and 5 resolved.
    const more = [
      ...Array.from({ length: 10 }, (_, i) =>
        alertRecord(`crit${i}`, { rule: "long-pending", severity: "critical", stream: `hot:${i}` }),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        alertRecord(`done${i}`, { rule: "long-pending", state: "resolved", stream: `cold:${i}`, resolvedAt: 2 }),
      ),
    ];
    await redis().hset(alertKeys.records(), ...alertRecordFields(more));
    let body: AlertsResponse | undefined;
    const stats = await measureCommands(redis(), async () => {
      const res = await callRoute<AlertsResponse>(alertsRoute as never, "/api/alerts");
      expect(res.status).toBe(200);
      body = res.body;
    });
    expect(stats.byCommand.hgetall ?? 0).toBe(0);
    expect(stats.byCommand.hscan).toBeGreaterThan(10);
    expect(body!.alerts).toHaveLength(MAX_ALERTS_ANSWER);
    expect(body!.alerts.slice(0, 10).map((a) => a.severity)).toEqual(Array(10).fill("critical"));
    expect(body!.total.firing).toBeGreaterThanOrEqual(20_010);
    expect(body!.total.resolved).toBe(5);
    expect(body!.omitted).toBe(body!.total.firing + 5 - MAX_ALERTS_ANSWER);
  });
});
