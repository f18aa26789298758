import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { collectMetrics } from "@/lib/metrics/collect";
import { appKey } from "@/lib/redis/app-keys";
import { closeRedis } from "@/lib/redis/client";
import { findSample, parsePromText } from "../helpers/prom-text";
import { indexedStreams } from "../helpers/stream-index";
import { callRoute } from "../helpers/route";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();

beforeAll(() => {
  useOwnAppPrefix("metrics");
});
afterAll(async () => {
  await closeRedis();
});

describe("GET /api/metrics", () => {
  it("exposes redis_exporter's stream metrics and Streamscope's own, with the right values", async () => {
    const p = uniquePrefix("m");
    const key = `${p}orders "x"\\y`;
    await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
    await redis.xgroup("CREATE", key, "idle", "$");
    for (let i = 0; i < 5; i++) await redis.xadd(key, "*", "n", String(i));
    await redis.xreadgroup("GROUP", "g", "alice", "COUNT", 3, "STREAMS", key, ">");
    const [[id]] = (await redis.xrange(key, "-", "+", "COUNT", 1)) as [[string, string[]]];
    await redis.xclaim(key, "g", "alice", 0, id, "IDLE", 600_000);
    await redis.xadd(`${p}orders:dlq`, "*", "a", "1");
    await redis.xadd(`${p}orders:dlq`, "*", "a", "2");
    await redis.pexpire(key, 3_600_000);
    await redis.lpush(
      appKey("worker", "ticks"),
      JSON.stringify({
        status: "ok",
        finishedAt: 1_700_000_000_000,
        durationMs: 250,
        jobs: [{ name: "reclaim", ran: true, counts: { reclaimed: 7 } }],
      }),
    );
    const settings = makeSettings({
      groups: [{ stream: `${p}*`, stuckAfterMs: 30_000 }],
      metrics: { consumerSeries: true },
    });
    await evaluateAlerts(redis, settings, { now: Date.now(), match: `${p}*` });

    const { body, contentType } = await collectMetrics(redis, settings, {
      now: Date.now(),
      known: await indexedStreams(redis, `${p}*`),
    });
    expect(contentType).toContain("text/plain");
    const { samples, types } = parsePromText(body);
    expect(types.get("redis_stream_length")).toBe("gauge");

    expect(findSample(samples, "redis_stream_length", { stream: key })?.value).toBe(5);
    expect(findSample(samples, "redis_stream_groups", { stream: key })?.value).toBe(2);
    expect(findSample(samples, "redis_stream_group_messages_pending", { stream: key, group: "g" })?.value).toBe(3);
    expect(findSample(samples, "redis_stream_group_lag", { stream: key, group: "g" })?.value).toBe(2);
    expect(findSample(samples, "redis_stream_group_lag", { stream: key, group: "idle" })?.value).toBe(5);
    expect(findSample(samples, "redis_stream_group_consumers", { stream: key, group: "g" })?.value).toBe(1);
    expect(
      findSample(samples, "redis_stream_group_consumer_messages_pending", {
        stream: key,
        group: "g",
        consumer: "alice",
      })?.value,
    ).toBe(3);
    expect(
      findSample(samples, "redis_stream_group_consumer_idle_seconds", { stream: key, group: "g", consumer: "alice" })
        ?.value,
    ).toBeLessThan(60);
    expect(findSample(samples, "streamscope_group_stuck_messages", { stream: key, group: "g" })?.value).toBe(1);
    expect(findSample(samples, "streamscope_group_stuck_messages", { stream: key, group: "idle" })?.value).toBe(0);
    const oldest = findSample(samples, "streamscope_group_oldest_pending_seconds", { stream: key, group: "g" })!.value;
    expect(oldest).toBeGreaterThanOrEqual(0);
    expect(oldest).toBeLessThan(60);
    expect(findSample(samples, "streamscope_dead_letter_messages", { stream: `${p}orders:dlq` })?.value).toBe(2);
    expect(findSample(samples, "streamscope_dead_letter_messages", { stream: key })).toBeUndefined();
    expect(findSample(samples, "streamscope_stream_ttl_seconds", { stream: key })!.value).toBeGreaterThan(3500);
    expect(findSample(samples, "streamscope_alerts_firing", { rule: "long-pending", severity: "warning" })?.value).toBe(
      1,
    );
    expect(findSample(samples, "streamscope_alerts_firing", { rule: "dead-letter", severity: "warning" })?.value).toBe(
      1,
    );
    expect(findSample(samples, "streamscope_alerts_firing", { rule: "lag-over", severity: "warning" })?.value).toBe(0);
    expect(findSample(samples, "streamscope_worker_last_tick_timestamp_seconds")?.value).toBe(1_700_000_000);
    expect(findSample(samples, "streamscope_worker_job_result", { job: "reclaim", result: "reclaimed" })?.value).toBe(
      7,
    );
    expect(findSample(samples, "streamscope_metrics_streams")?.value).toBe(2);
    expect(findSample(samples, "streamscope_metrics_streams_truncated")?.value).toBe(0);
  });

  it("stops at the stream cap and says so; no worker metrics without a stored tick", async () => {
    await redis.del(appKey("worker", "ticks"));
    const p = uniquePrefix("cap");
    for (let i = 0; i < 5; i++) await redis.xadd(`${p}s${i}`, "*", "a", "1");
    const { body } = await collectMetrics(redis, makeSettings(), {
      now: Date.now(),
      known: await indexedStreams(redis, `${p}*`),
      maxStreams: 3,
    });
    const { samples } = parsePromText(body);
    expect(samples.filter((s) => s.name === "redis_stream_length").length).toBe(3);
    expect(findSample(samples, "streamscope_metrics_streams_truncated")?.value).toBe(1);
    expect(findSample(samples, "streamscope_worker_last_tick_timestamp_seconds")).toBeUndefined();
  });

  it("the route answers Prometheus text", async () => {
    const res = await callRoute<string>(metricsRoute as never, "/api/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(() => parsePromText(res.body)).not.toThrow();
  });
});
