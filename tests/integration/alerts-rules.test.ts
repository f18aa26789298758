import { beforeAll, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { DEAD_LETTER_QUIET_MS } from "@/lib/alerts/rules";
import { listAlerts } from "@/lib/alerts/store";
import type { Alert } from "@/lib/contract/alerts";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";
import { testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();

beforeAll(() => {
  useOwnAppPrefix("alerts-rules");
});

/** A group with `n` messages delivered to `consumer` and left pending. */
async function pendingGroup(key: string, group: string, n: number, consumer = "c1") {
  await redis.xgroup("CREATE", key, group, "0", "MKSTREAM");
  for (let i = 0; i < n; i++) await redis.xadd(key, "*", "n", String(i));
  await redis.xreadgroup("GROUP", group, consumer, "COUNT", n, "STREAMS", key, ">");
}

function find(alerts: Alert[], rule: string, stream: string) {
  return alerts.find((a) => a.rule === rule && a.stream === stream);
}

async function evaluate(prefix: string, settings: ReturnType<typeof makeSettings>, now = Date.now()) {
  await evaluateAlerts(redis, settings, { now, match: `${prefix}*` });
  return listAlerts(redis, now);
}

describe("alert rules fire and resolve", () => {
  it("long-pending: a message idle over the group's stuckAfterMs, resolved by an ack", async () => {
    const p = uniquePrefix("lp");
    const key = `${p}orders`;
    await pendingGroup(key, "g", 3);
    const settings = makeSettings({ groups: [{ stream: `${p}*`, group: "g", stuckAfterMs: 30_000 }] });

    let alerts = await evaluate(p, settings);
    expect(find(alerts, "long-pending", key)).toBeUndefined();

    const [[id]] = (await redis.xrange(key, "-", "+", "COUNT", 1)) as [[string, string[]]];
    await redis.xclaim(key, "g", "c1", 0, id, "IDLE", 600_000);
    alerts = await evaluate(p, settings);
    const alert = find(alerts, "long-pending", key);
    expect(alert).toMatchObject({ state: "firing", group: "g", severity: "warning" });
    expect(alert!.message).toContain("1 message pending over 30 s");
    expect(alert!.link).toBe(`/streams/${encodeURIComponent(key)}/groups/g?minIdleMs=30000`);
    const firstSeen = alert!.firstSeen;

    alerts = await evaluate(p, settings, Date.now() + 1000);
    expect(find(alerts, "long-pending", key)).toMatchObject({ state: "firing", firstSeen });
    expect(alerts.filter((a) => a.rule === "long-pending" && a.stream === key)).toHaveLength(1);

    await redis.xack(key, "g", id);
    alerts = await evaluate(p, settings);
    expect(find(alerts, "long-pending", key)).toMatchObject({ state: "resolved", firstSeen });
    expect(find(alerts, "long-pending", key)!.resolvedAt).not.toBeNull();
  });

  it("pending count over N and lag over N", async () => {
    const p = uniquePrefix("cnt");
    const key = `${p}s`;
    await pendingGroup(key, "g", 3);
    await redis.xgroup("CREATE", key, "behind", "0");
    const settings = makeSettings({ alerts: { rules: [{ stream: `${p}*`, pendingOver: 2, lagOver: 2 }] } });

    let alerts = await evaluate(p, settings);
    expect(find(alerts, "pending-over", key)).toMatchObject({ state: "firing", group: "g" });
    const lag = find(alerts, "lag-over", key);
    expect(lag).toMatchObject({ state: "firing", group: "behind" });
    expect(lag!.link).toBe(`/streams/${encodeURIComponent(key)}/groups/behind`);

    const ids = ((await redis.xrange(key, "-", "+")) as [string, string[]][]).map(([id]) => id);
    await redis.xack(key, "g", ids[0]!);
    await redis.xgroup("SETID", key, "behind", "$");
    alerts = await evaluate(p, settings);
    expect(find(alerts, "pending-over", key)?.state).toBe("resolved");
    expect(find(alerts, "lag-over", key)?.state).toBe("resolved");
  });

  it("dead consumer: owns pending and inactive over the threshold", async () => {
    const p = uniquePrefix("dc");
    const key = `${p}s`;
    await pendingGroup(key, "g", 2, "crashed");
    const settings = makeSettings({
      groups: [{ stream: `${p}*`, stuckAfterMs: 100 }],
      alerts: { rules: [{ stream: `${p}*`, longPending: false }] },
    });
    await new Promise((r) => setTimeout(r, 300));
    let alerts = await evaluate(p, settings);
    const alert = find(alerts, "dead-consumer", key);
    expect(alert).toMatchObject({ state: "firing", group: "g", consumer: "crashed" });
    expect(alert!.link).toContain("consumer=crashed");
    expect(find(alerts, "long-pending", key)).toBeUndefined();

    await redis.xgroup("DELCONSUMER", key, "g", "crashed");
    alerts = await evaluate(p, settings);
    expect(find(alerts, "dead-consumer", key)?.state).toBe("resolved");
  });

  it("a stream about to expire with unprocessed messages", async () => {
    const p = uniquePrefix("exp");
    const key = `${p}s`;
    const idle = `${p}idle`;
    await pendingGroup(key, "g", 1);
    await redis.xadd(idle, "*", "a", "1"); // no groups: nothing unprocessed
    await redis.pexpire(key, 120_000);
    await redis.pexpire(idle, 120_000);
    const settings = makeSettings();

    let alerts = await evaluate(p, settings);
    const alert = find(alerts, "stream-expiring", key);
    expect(alert).toMatchObject({ state: "firing", group: null, severity: "critical" });
    expect(alert!.link).toBe(`/streams/${encodeURIComponent(key)}`);
    expect(find(alerts, "stream-expiring", idle)).toBeUndefined();

    await redis.persist(key);
    alerts = await evaluate(p, settings);
    expect(find(alerts, "stream-expiring", key)?.state).toBe("resolved");
  });

  it("a family member with no TTL", async () => {
    const p = uniquePrefix("fam");
    const member = `${p}orders_2026112501`;
    const notADate = `${p}orders_2026133001`;
    await redis.xadd(member, "*", "a", "1");
    await redis.xadd(notADate, "*", "a", "1");
    const settings = makeSettings({
      families: [{ name: "orders", pattern: `${p}orders_<yyyyMMddHH>`, ttlSeconds: 7200 }],
    });

    let alerts = await evaluate(p, settings);
    expect(find(alerts, "family-no-ttl", member)).toMatchObject({ state: "firing" });
    expect(find(alerts, "family-no-ttl", notADate)).toBeUndefined();

    await redis.expire(member, 7200);
    alerts = await evaluate(p, settings);
    expect(find(alerts, "family-no-ttl", member)?.state).toBe("resolved");
  });

  it("messages arriving in a dead-letter stream, quiet again after the window", async () => {
    const p = uniquePrefix("dlq");
    const dlq = `${p}orders:dlq`;
    const custom = `${p}orders.dead`;
    const settings = makeSettings({ groups: [{ stream: `${p}*`, deadLetter: "<stream>.dead" }] });
    const t0 = Date.now();
    await redis.xadd(dlq, `${t0 - 3 * DEAD_LETTER_QUIET_MS}-1`, "old", "1");
    await redis.xadd(custom, `${t0 - 3 * DEAD_LETTER_QUIET_MS}-1`, "old", "1");

    // First sight of old entries only: nothing is arriving.
    let alerts = await evaluate(p, settings, t0);
    expect(find(alerts, "dead-letter", dlq)).toBeUndefined();

    await redis.xadd(dlq, "*", "new", "1");
    await redis.xadd(custom, "*", "new", "1");
    alerts = await evaluate(p, settings, t0 + 1000);
    expect(find(alerts, "dead-letter", dlq)).toMatchObject({ state: "firing", group: null });
    expect(find(alerts, "dead-letter", custom)).toMatchObject({ state: "firing" });

    alerts = await evaluate(p, settings, t0 + 2000 + DEAD_LETTER_QUIET_MS);
    expect(find(alerts, "dead-letter", dlq)?.state).toBe("resolved");
  });

  it("a deleted stream resolves its alerts even when the scan no longer sees it", async () => {
    const p = uniquePrefix("del");
    const key = `${p}s`;
    await pendingGroup(key, "g", 3);
    const settings = makeSettings({ alerts: { rules: [{ stream: `${p}*`, pendingOver: 1 }] } });
    let alerts = await evaluate(p, settings);
    expect(find(alerts, "pending-over", key)?.state).toBe("firing");
    await redis.del(key);
    alerts = await evaluate(p, settings);
    expect(find(alerts, "pending-over", key)?.state).toBe("resolved");
  });

  it("overrides can switch a rule off for matching streams", async () => {
    const p = uniquePrefix("off");
    const key = `${p}s`;
    await pendingGroup(key, "g", 3);
    const settings = makeSettings({ alerts: { rules: [{ stream: `${p}*`, pendingOver: 1, severity: "critical" }] } });
    const alerts = await evaluate(p, settings);
    expect(find(alerts, "pending-over", key)?.severity).toBe("critical");
  });
});
