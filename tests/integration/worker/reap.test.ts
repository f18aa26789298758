import { describe, expect, it } from "vitest";
import { readAudit } from "@/lib/audit/audit";
import { reapJob } from "@/lib/worker/jobs/reap";
import { tick } from "@/lib/worker/tick";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { expectNoSlowCommands } from "../../helpers/slowlog";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("wreap");

type PendingRow = [string, string, number, number];

async function consumerNames(key: string, group: string): Promise<string[]> {
  const rows = (await redis.call("XINFO", "CONSUMERS", key, group)) as unknown[][];
  return rows.map((r) => String(r[1])).sort();
}

/** A group where "dead" read 3 messages and went quiet over a second ago, and "live" just read one. */
async function groupWithDeadConsumer(key: string, group: string) {
  await redis.xgroup("CREATE", key, group, "$", "MKSTREAM");
  for (let i = 0; i < 3; i++) await redis.xadd(key, "*", "n", String(i));
  await redis.xreadgroup("GROUP", group, "dead", "COUNT", 3, "STREAMS", key, ">");
  await redis.call("XGROUP", "CREATECONSUMER", key, group, "leaked");
}

async function wakeLive(key: string, group: string) {
  await redis.xadd(key, "*", "n", "live");
  await redis.xreadgroup("GROUP", group, "live", "COUNT", 1, "STREAMS", key, ">");
}

describe("worker reap job (reapAfterMs)", () => {
  it("hands an idle consumer's messages to a live one and deletes it, audited; groups without the rule are left alone", async () => {
    const p = uniquePrefix("wreap");
    const key = `${p}jobs`;
    const untouched = `${p}other`;
    await groupWithDeadConsumer(key, "g");
    await groupWithDeadConsumer(untouched, "g");
    await sleep(1100);
    await wakeLive(key, "g");
    await wakeLive(untouched, "g");
    const settings = settingsFrom({ groups: [{ stream: key, group: "g", reapAfterMs: 1000 }] });

    let result: Awaited<ReturnType<typeof tick>> | undefined;
    await expectNoSlowCommands(redis, async () => {
      result ??= await tick({ redis, forced: true, settings, jobs: [reapJob], keyMatch: `${p}*` });
    });
    const run = result!.jobs[0]!;
    expect(run.error).toBeUndefined();
    expect(run.counts).toMatchObject({ handedOver: 3, consumersDeleted: 2, groupsReaped: 1 });

    const owners = (await redis.xpending(key, "g", "-", "+", 10)) as PendingRow[];
    expect(owners.map((o) => o[1])).toEqual(["live", "live", "live", "live"]);
    // Handed over with XCLAIM JUSTID: the delivery counts stay as they were.
    expect(owners.slice(0, 3).map((o) => o[3])).toEqual([1, 1, 1]);
    expect(await consumerNames(key, "g")).toEqual(["live"]);
    expect(await consumerNames(untouched, "g")).toEqual(["dead", "leaked", "live"]);

    const audit = await readAudit(redis, { actor: "worker", limit: 50 });
    const entry = audit.entries.find((e) => e.action === "worker.reap");
    // The 3 messages handed over; the 2 consumers deleted are not messages.
    expect(entry).toMatchObject({ who: "worker", result: "ok", touched: 3 });
    expect(entry!.filter).toContain(key);
  });

  it("under reapPolicy requeue, requeues an idle consumer's messages onto the stream and deletes it; the audit says so", async () => {
    const p = uniquePrefix("wreaprq");
    const key = `${p}jobs`;
    await groupWithDeadConsumer(key, "g");
    await sleep(1100);
    await wakeLive(key, "g");
    const settings = settingsFrom({ groups: [{ stream: key, group: "g", reapAfterMs: 1000, reapPolicy: "requeue" }] });
    const result = await tick({ redis, forced: true, settings, jobs: [reapJob], keyMatch: `${p}*` });
    const run = result.jobs[0]!;
    expect(run.error).toBeUndefined();
    expect(run.counts).toMatchObject({ handedOver: 0, requeued: 3, consumersDeleted: 2, groupsReaped: 1 });
    expect(await consumerNames(key, "g")).toEqual(["live"]);
    // The live consumer keeps its one message; the three requeued copies wait for the next read.
    const owners = (await redis.xpending(key, "g", "-", "+", 10)) as PendingRow[];
    expect(owners.map((o) => o[1])).toEqual(["live"]);
    expect(await redis.xlen(key)).toBe(7);
    const audit = await readAudit(redis, { actor: "worker", limit: 50 });
    const entry = audit.entries.find((e) => e.action === "worker.reap" && e.filter?.includes(key));
    expect(entry).toMatchObject({ result: "ok", touched: 3 });
    expect(entry!.filter).toContain("3 messages requeued (reapPolicy requeue)");
  });

  it("does nothing without reapAfterMs", async () => {
    const p = uniquePrefix("wreapoff");
    const key = `${p}jobs`;
    await groupWithDeadConsumer(key, "g");
    await sleep(1100);
    await wakeLive(key, "g");
    const settings = settingsFrom({ groups: [{ stream: key, group: "g", stuckAfterMs: 1000 }] });

    const out = await reapJob.run({
      redis,
      settings,
      now: Date.now(),
      forced: true,
      heartbeat: async () => undefined,
      keyMatch: `${p}*`,
    });
    expect(out.counts).toMatchObject({ handedOver: 0, consumersDeleted: 0 });
    expect(await consumerNames(key, "g")).toEqual(["dead", "leaked", "live"]);
    const owners = (await redis.xpending(key, "g", "-", "+", 10)) as PendingRow[];
    expect(owners.filter((o) => o[1] === "dead")).toHaveLength(3);
  });

  it("stays within worker.reapBudget per tick and goes on next tick", async () => {
    const p = uniquePrefix("wreapbudget");
    const key = `${p}jobs`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    for (let i = 0; i < 5; i++) await redis.call("XGROUP", "CREATECONSUMER", key, "g", `pod-${i}`);
    await sleep(1100);
    await wakeLive(key, "g");
    const settings = settingsFrom({
      groups: [{ stream: key, group: "g", reapAfterMs: 1000 }],
      worker: { reapBudget: 3 },
    });
    const run = () =>
      reapJob.run({
        redis,
        settings,
        now: Date.now(),
        forced: true,
        heartbeat: async () => undefined,
        keyMatch: `${p}*`,
      });

    expect((await run()).counts.consumersDeleted).toBe(3);
    expect(await consumerNames(key, "g")).toHaveLength(3);
    expect((await run()).counts.consumersDeleted).toBe(2);
    expect(await consumerNames(key, "g")).toEqual(["live"]);
  });
});
