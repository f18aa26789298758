import { beforeAll, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { listAlerts } from "@/lib/alerts/store";
import type { Alert } from "@/lib/contract/alerts";
import { collectMetrics } from "@/lib/metrics/collect";
import { findSample, parsePromText } from "../helpers/prom-text";
import { indexedStreams } from "../helpers/stream-index";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { expectNoSlowCommands } from "../helpers/slowlog";

const redis = testRedis();

beforeAll(() => {
  useOwnAppPrefix("alerts-poison");
});

function find(alerts: Alert[], rule: string, stream: string) {
  return alerts.find((a) => a.rule === rule && a.stream === stream);
}

async function evaluate(prefix: string, settings: ReturnType<typeof makeSettings>, now = Date.now()) {
  await evaluateAlerts(redis, settings, { now, match: `${prefix}*` });
  return listAlerts(redis, now);
}

/** A group with `n` messages pending at `consumer`; returns their ids. */
async function pendingGroup(key: string, group: string, n: number, consumer = "c1"): Promise<string[]> {
  await redis.xgroup("CREATE", key, group, "0", "MKSTREAM");
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await redis.xadd(key, "*", "n", String(i)))!);
  await redis.xreadgroup("GROUP", group, consumer, "COUNT", n, "STREAMS", key, ">");
  return ids;
}

describe("poison and leaked-consumer alerts", () => {
  it("poison: a message delivered more than N times fires, naming id, consumer and count; an ack resolves it", async () => {
    const p = uniquePrefix("poison");
    const key = `${p}jobs`;
    const ids = await pendingGroup(key, "g", 5);
    const poisoned = ids[3]!;
    await redis.call("XCLAIM", key, "g", "worker-7", 0, poisoned, "RETRYCOUNT", 42);
    await redis.call("XCLAIM", key, "g", "c1", 0, ids[1]!, "RETRYCOUNT", 10);
    const settings = makeSettings({});

    let alerts = await evaluate(p, settings);
    const alert = find(alerts, "poison", key);
    expect(alert).toMatchObject({ state: "firing", group: "g", severity: "warning" });
    expect(alert!.message).toContain(poisoned);
    expect(alert!.message).toContain('"worker-7"');
    expect(alert!.message).toContain("42 times");
    expect(alert!.message).toContain("over 10");

    const { body } = await collectMetrics(redis, settings, {
      now: Date.now(),
      known: await indexedStreams(redis, `${p}*`),
    });
    const { samples } = parsePromText(body);
    expect(findSample(samples, "streamscope_group_max_deliveries", { stream: key, group: "g" })?.value).toBe(42);

    await redis.xack(key, "g", poisoned);
    alerts = await evaluate(p, settings);
    // The one left at exactly 10 deliveries is not over the default.
    expect(find(alerts, "poison", key)?.state).toBe("resolved");
    const after = parsePromText(
      (await collectMetrics(redis, settings, { now: Date.now(), known: await indexedStreams(redis, `${p}*`) })).body,
    );
    expect(findSample(after.samples, "streamscope_group_max_deliveries", { stream: key, group: "g" })?.value).toBe(10);
  });

  it("poison: the threshold comes from the group's rule override", async () => {
    const p = uniquePrefix("poisonrule");
    const key = `${p}jobs`;
    const [id] = await pendingGroup(key, "g", 1);
    await redis.call("XCLAIM", key, "g", "c1", 0, id!, "RETRYCOUNT", 4);
    await redis.xgroup("CREATE", key, "other", "0");
    await redis.xreadgroup("GROUP", "other", "c1", "COUNT", 1, "STREAMS", key, ">");
    await redis.call("XCLAIM", key, "other", "c1", 0, id!, "RETRYCOUNT", 4);
    const settings = makeSettings({ alerts: { rules: [{ stream: `${p}*`, group: "g", poisonOver: 3 }] } });

    const alerts = await evaluate(p, settings);
    const poison = alerts.filter((a) => a.rule === "poison" && a.stream === key);
    expect(poison.map((a) => [a.group, a.state])).toEqual([["g", "firing"]]);
  });

  it("consumers-over: a group with more consumers than N fires and names the group", async () => {
    const p = uniquePrefix("leak");
    const key = `${p}events`;
    await redis.xgroup("CREATE", key, "leaky", "$", "MKSTREAM");
    await redis.xgroup("CREATE", key, "fine", "$");
    for (let i = 0; i < 6; i++) await redis.call("XGROUP", "CREATECONSUMER", key, "leaky", `pod-${i}`);
    await redis.call("XGROUP", "CREATECONSUMER", key, "fine", "pod-0");
    const settings = makeSettings({ alerts: { rules: [{ stream: `${p}*`, consumersOver: 5 }] } });

    let alerts = await evaluate(p, settings);
    const leak = alerts.filter((a) => a.rule === "consumers-over" && a.stream === key);
    expect(leak.map((a) => [a.group, a.state])).toEqual([["leaky", "firing"]]);
    expect(leak[0]!.message).toContain('Group "leaky"');
    expect(leak[0]!.message).toContain("6 consumers (over 5)");

    await redis.call("XGROUP", "DELCONSUMER", key, "leaky", "pod-5");
    alerts = await evaluate(p, settings);
    expect(find(alerts, "consumers-over", key)?.state).toBe("resolved");
  });

  it("evaluating poison on a large PEL stays bounded: no command over 10 ms", async () => {
    const p = uniquePrefix("poisonbig");
    const key = `${p}big`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    for (let b = 0; b < 10; b++) {
      const pipe = redis.pipeline();
      for (let i = 0; i < 5000; i++) pipe.xadd(key, "*", "n", "1");
      await pipe.exec();
    }
    await redis.xreadgroup("GROUP", "g", "c1", "COUNT", 50_000, "STREAMS", key, ">");
    const [[first]] = (await redis.xrange(key, "-", "+", "COUNT", 1)) as [[string, string[]]];
    await redis.call("XCLAIM", key, "g", "c2", 0, first, "RETRYCOUNT", 99);
    const settings = makeSettings({});

    await expectNoSlowCommands(redis, async () => {
      const alerts = await evaluate(p, settings);
      expect(find(alerts, "poison", key)?.state).toBe("firing");
      await collectMetrics(redis, settings, { now: Date.now(), known: await indexedStreams(redis, `${p}*`) });
    });
  });
});
