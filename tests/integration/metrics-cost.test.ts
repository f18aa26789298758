/**
 * /api/metrics on a private server holding 10,000 streams: the answer comes from the stream index
 * and one bounded snapshot, stays under 1 MiB, reads at most metrics.maxStreams streams and says
 * how many it left out, sums a family into one series, has per-consumer series only when asked
 * (capped), is shared between scrapes for metrics.cacheMs, and sends no command over 10 ms.
 */
import type Redis from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { useConfig } from "../helpers/auth";
import { findSample, parsePromText, type PromSample } from "../helpers/prom-text";
import { privateRedis } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { expectNoSlowDashboardCommands, resetSlowLog } from "../helpers/slowlog";

const PLAIN = 9_950;
const MEMBERS = 48;
const FAMILY = "fam:orders_<yyyyMMddHH>";
const member = (h: number) => `fam:orders_202611${29 + Math.floor(h / 24)}${String(h % 24).padStart(2, "0")}`;

const own = privateRedis();
let redis: Redis;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scrape(): Promise<{ body: string; samples: PromSample[]; ms: number }> {
  const t0 = performance.now();
  const res = await callRoute<string>(metricsRoute as never, "/api/metrics");
  const ms = performance.now() - t0;
  expect(res.status).toBe(200);
  return { body: res.body, samples: parsePromText(res.body).samples, ms };
}

const value = (samples: PromSample[], name: string, labels: Record<string, string> = {}) =>
  findSample(samples, name, labels)?.value;

/** Scrapes until the index has found every stream (its first pass over 10,000 keys takes a few requests). */
async function scrapeWhole(total: number): Promise<{ body: string; samples: PromSample[] }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const got = await scrape();
    const seen =
      (value(got.samples, "streamscope_metrics_streams") ?? 0) +
      (value(got.samples, "streamscope_metrics_streams_omitted") ?? 0);
    if (seen === total || Date.now() > deadline) return got;
    await sleep(200);
  }
}

async function xinfoCalls(): Promise<number> {
  const info = await redis.info("commandstats");
  return [...info.matchAll(/^cmdstat_xinfo\|\w+:calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

beforeAll(async () => {
  redis = own.raw();
  for (let from = 0; from < PLAIN; from += 1000) {
    const pipe = redis.pipeline();
    for (let i = from; i < Math.min(PLAIN, from + 1000); i++) {
      const key = `s:${String(i).padStart(5, "0")}`;
      pipe.xadd(key, "*", "n", String(i));
      pipe.xgroup("CREATE", key, "g", "0");
    }
    await pipe.exec();
  }
  // Five consumers with one pending message each on the first stream.
  for (let i = 0; i < 5; i++) await redis.xadd("s:00000", "*", "n", String(i));
  for (let i = 0; i < 5; i++) await redis.xreadgroup("GROUP", "g", `c${i}`, "COUNT", 1, "STREAMS", "s:00000", ">");
  const pipe = redis.pipeline();
  for (let h = 0; h < MEMBERS; h++) {
    pipe.xadd(member(h), "*", "n", "1");
    pipe.xadd(member(h), "*", "n", "2");
    pipe.xgroup("CREATE", member(h), "g", "0");
    pipe.xreadgroup("GROUP", "g", "w", "COUNT", 1, "STREAMS", member(h), ">");
  }
  await pipe.exec();
}, 60_000);

describe("/api/metrics over 10,000 streams", () => {
  it("reads at most metrics.maxStreams streams, counts the rest, sums a family, stays under 1 MiB and fast", async () => {
    useConfig({ metrics: { cacheMs: 0 } });
    await scrapeWhole(PLAIN + MEMBERS);
    await resetSlowLog(redis);
    const before = await xinfoCalls();
    const { body, samples, ms } = await scrape();
    const xinfo = (await xinfoCalls()) - before;

    expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
    expect(ms).toBeLessThan(5_000);
    // Key order: the family ("fam:...") first, whole, then the first 952 plain streams.
    expect(value(samples, "streamscope_metrics_streams")).toBe(1000);
    expect(value(samples, "streamscope_metrics_streams_omitted")).toBe(PLAIN + MEMBERS - 1000);
    expect(value(samples, "streamscope_metrics_streams_truncated")).toBe(1);
    expect(samples.filter((s) => s.name === "redis_stream_length")).toHaveLength(1000 - MEMBERS + 1);
    // XINFO STREAM + XINFO GROUPS per stream read, no more.
    expect(xinfo).toBeLessThanOrEqual(2 * 1000);

    expect(value(samples, "redis_stream_length", { stream: FAMILY })).toBe(2 * MEMBERS);
    expect(value(samples, "streamscope_family_streams", { stream: FAMILY })).toBe(MEMBERS);
    expect(value(samples, "redis_stream_group_messages_pending", { stream: FAMILY, group: "g" })).toBe(MEMBERS);
    expect(value(samples, "redis_stream_group_lag", { stream: FAMILY, group: "g" })).toBe(MEMBERS);
    expect(samples.some((s) => s.labels.stream === member(0))).toBe(false);

    expect(value(samples, "redis_stream_group_messages_pending", { stream: "s:00000", group: "g" })).toBe(5);
    expect(samples.filter((s) => s.name.startsWith("redis_stream_group_consumer_"))).toEqual([]);
    expect(findSample(samples, "streamscope_group_consumers_omitted", { stream: "s:00000", group: "g" })).toBe(
      undefined,
    );
    await expectNoSlowDashboardCommands(redis);
  }, 60_000);

  it("takes the cap from metrics.maxStreams; with metrics.consumerSeries, per-consumer series up to maxConsumerSeries", async () => {
    useConfig({ metrics: { cacheMs: 0, maxStreams: 10_000, consumerSeries: true, maxConsumerSeries: 3 } });
    const { body, samples } = await scrapeWhole(PLAIN + MEMBERS);
    expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
    const streams = value(samples, "streamscope_metrics_streams")!;
    const omitted = value(samples, "streamscope_metrics_streams_omitted")!;
    expect(streams + omitted).toBe(PLAIN + MEMBERS);
    // 10,000 streams fit the cap but not 1 MiB: the last ones are left out, and counted.
    expect(streams).toBeGreaterThan(1000);
    expect(omitted).toBeGreaterThan(0);
    expect(samples.filter((s) => s.name === "redis_stream_length")).toHaveLength(streams - MEMBERS + 1);

    // The family's members share consumer "w": one series for the family, summed.
    const perConsumer = samples
      .filter((s) => s.name === "redis_stream_group_consumer_messages_pending")
      .map((s) => [s.labels.stream, s.labels.consumer, s.value])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
    expect(perConsumer).toEqual([
      [FAMILY, "w", MEMBERS],
      ["s:00000", "c0", 1],
      ["s:00000", "c1", 1],
    ]);
    expect(value(samples, "streamscope_group_consumers_omitted", { stream: "s:00000", group: "g" })).toBe(3);
  }, 60_000);

  it("shares one collection between scrapes within metrics.cacheMs", async () => {
    useConfig({ metrics: { cacheMs: 30_000, maxStreams: 100 } });
    const first = await scrape();
    const before = await xinfoCalls();
    const second = await scrape();
    expect((await xinfoCalls()) - before).toBe(0);
    expect(second.body).toBe(first.body);
  }, 60_000);
});
