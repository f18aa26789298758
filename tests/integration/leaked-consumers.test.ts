import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as groupGET } from "@/app/api/streams/[key]/groups/[group]/route";
import { deleteConsumer } from "@/lib/actions/admin";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import { closeRedis, getRedis } from "@/lib/redis/client";
import { describeStreams } from "@/lib/streams/rows";
import { findSample, parsePromText } from "../helpers/prom-text";
import { callRoute } from "../helpers/route";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { createLeakedConsumers, seedLeakyGroup } from "@/scripts/lib/leaked-consumers";
import { watchCommands } from "../helpers/monitor";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { expectNoSlowDashboardCommands, fromDashboardOn, resetSlowLog } from "../helpers/slowlog";

const redis = testRedis();
const prefix = uniquePrefix("leak");
const stream = `${prefix}jobs`;
const CONSUMERS = 100_000;
const OWNERS = ["worker-a", "worker-b", "worker-c"];
let slowlogBefore = "10000";

beforeAll(async () => {
  useOwnAppPrefix("leak");
  await seedLeakyGroup(redis, stream, {
    messages: 10,
    owners: OWNERS.map((name, i) => [name, i + 1]),
    leaked: CONSUMERS - OWNERS.length,
  });
  // worker-a's one message looks forgotten for an hour: the dead check over the cap sees it.
  const [[first]] = (await redis.xrange(stream, "-", "+", "COUNT", 1)) as [[string, string[]]];
  await redis.xclaim(stream, "g", "worker-a", 0, first, "IDLE", 3_600_000);
  const reply = (await redis.config("GET", "slowlog-log-slower-than")) as string[];
  slowlogBefore = reply[1] ?? "10000";
}, 60_000);

afterAll(async () => {
  await redis.config("SET", "slowlog-log-slower-than", slowlogBefore);
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("a group with 100,000 consumers", () => {
  it("lists the pending owners only, says how many are left out, and stays small and fast", async () => {
    expect(((await redis.xinfo("GROUPS", stream)) as unknown[][])[0]).toContain(CONSUMERS);
    await getRedis().ping();
    await resetSlowLog(redis);

    const res = await callRoute<GroupDetailResponse>(groupGET as never, "/api/x", {
      params: { key: stream, group: "g" },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.byteLength(JSON.stringify(res.body));
    expect(bytes).toBeLessThan(200_000);
    expect(res.body.consumerCount).toBe(CONSUMERS);
    expect(res.body.consumersListed).toBe("pending-owners");
    expect(res.body.consumers.map((c) => [c.name, c.pending])).toEqual([
      ["worker-c", 3],
      ["worker-b", 2],
      ["worker-a", 1],
    ]);
    expect(res.body.consumersOmitted).toBe(CONSUMERS - OWNERS.length);
    expect(res.body.consumers.every((c) => c.idleMs === null)).toBe(true);
    expect(res.body.consumers.map((c) => [c.name, c.dead])).toEqual([
      ["worker-c", false],
      ["worker-b", false],
      ["worker-a", true],
    ]);

    const metrics = await callRoute<string>(metricsRoute as never, "/api/metrics");
    expect(metrics.status).toBe(200);
    expect(Buffer.byteLength(metrics.body)).toBeLessThan(1024 * 1024);
    const { samples } = parsePromText(metrics.body);
    expect(
      samples.filter((s) => s.name.startsWith("redis_stream_group_consumer_") && s.labels.stream === stream),
    ).toEqual([]);
    expect(findSample(samples, "streamscope_group_consumers_omitted", { stream, group: "g" })?.value).toBe(CONSUMERS);

    await evaluateAlerts(getRedis(), makeSettings(), { now: Date.now(), match: `${prefix}*` });

    expect(await deleteConsumer(getRedis(), stream, "g", "leaked-5")).toEqual({ deleted: true, pendingDropped: 0 });

    await expectNoSlowDashboardCommands(redis, fromDashboardOn(prefix));
  }, 60_000);

  it("never asks MEMORY USAGE of it (it walks every consumer): the row's memory is unknown, the rest is read", async () => {
    const watch = await watchCommands(process.env.REDIS_URL!);
    const [row] = await describeStreams(getRedis(), [stream], makeSettings());
    expect(row).toMatchObject({ key: stream, length: 10, memoryBytes: null, memoryUnknown: "consumers" });
    const res = await callRoute<GroupDetailResponse>(groupGET as never, "/api/x", {
      params: { key: stream, group: "g" },
    });
    expect(res.status).toBe(200);
    const seen = (await watch.stop()).filter((l) => l.includes(`"${stream}"`));
    // The reads were watched (XINFO GROUPS tells the consumer count), and none of them was MEMORY USAGE.
    expect(seen.some((l) => /^"XINFO" "GROUPS"/i.test(l))).toBe(true);
    const sizing = seen.filter((l) => /^"MEMORY" "USAGE"/i.test(l));
    expect(sizing).toEqual([]);
  });

  it("over a pending list longer than the walk, lists the owners of its oldest messages and says so", async () => {
    const key = `${prefix}long`;
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    const pipe = redis.pipeline();
    for (let i = 0; i < 10_500; i++) pipe.xadd(key, "*", "n", String(i));
    await pipe.exec();
    await redis.xreadgroup("GROUP", "g", "early", "COUNT", 10_000, "STREAMS", key, ">");
    await redis.xreadgroup("GROUP", "g", "late", "COUNT", 500, "STREAMS", key, ">");
    await createLeakedConsumers(redis, key, "g", 1, 2000);

    const res = await callRoute<GroupDetailResponse>(groupGET as never, "/api/x", { params: { key, group: "g" } });
    expect(res.status).toBe(200);
    expect(res.body.consumersListed).toBe("oldest-pending-owners");
    expect(res.body.consumers.map((c) => [c.name, c.pending])).toEqual([["early", 10_000]]);
    expect(res.body.consumersOmitted).toBe(2001);
  }, 60_000);
});
