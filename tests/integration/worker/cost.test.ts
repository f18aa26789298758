import { describe, expect, it } from "vitest";
import { historyKeys } from "@/lib/history/store";
import { tick } from "@/lib/worker/tick";
import { tickStreamSource } from "@/lib/worker/tick-streams";
import { reclaimJob, stuckSnapshotJob } from "@/lib/worker/jobs";
import type { JobRun } from "@/lib/contract/worker";
import { commandStats, measureCommands } from "../../helpers/command-stats";
import { keptByGroup, keptGroupKey, readStuckSnapshot } from "@/lib/streams/stuck-snapshot";
import { privateRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

// A server of its own: INFO commandstats counts every client's commands.
const own = privateRedis();
const redis = () => own.raw();
withAppPrefix("cost");

const commandCalls = async () => (await commandStats(redis())).calls;

/** A stream of `entries` entries, with a group that read and acked all of them. */
async function settledStream(key: string, entries: number) {
  const pipe = redis().pipeline();
  for (let i = 0; i < entries; i++) pipe.xadd(key, "*", "n", String(i));
  pipe.xgroup("CREATE", key, "g", "0");
  pipe.xreadgroup("GROUP", "g", "worker", "COUNT", entries, "STREAMS", key, ">");
  await pipe.exec();
  const ids = ((await redis().xrange(key, "-", "+")) as [string, string[]][]).map(([id]) => id);
  await redis().xack(key, "g", ...ids);
}

const settingsFor = (p: string, stuckAfterMs: number) =>
  settingsFrom({
    groups: [{ stream: `${p}*`, stuckAfterMs, policy: "reassign", reassignTo: "rescuer", trim: true }],
  });

const jobOf = (runs: readonly JobRun[], name: string) => runs.find((j) => j.name === name)!;

describe("the worker's cost", () => {
  it("a steady tick (nothing changed, nothing due) costs at most 5 Redis commands per stream", async () => {
    const p = uniquePrefix("steady");
    const n = 200;
    for (let i = 0; i < n; i++) await settledStream(`${p}s${i}`, 20);
    // Half with an expiry far from the guard's window.
    for (let i = 0; i < n; i += 2) await redis().pexpire(`${p}s${i}`, 3_600_000);
    const settings = settingsFor(p, 1000);
    const run = () => tick({ redis: redis(), forced: true, settings, keyMatch: `${p}*` });
    // The first ticks look at every stream (trim, history, alerts); then nothing has changed.
    for (let i = 0; i < 2; i++) expect((await run()).status).toBe("ok");
    const before = await commandCalls();
    const steady = await run();
    const commands = (await commandCalls()) - before;
    expect(steady.status).toBe("ok");
    expect(steady.jobs.every((j) => j.ran)).toBe(true);
    expect(commands / n).toBeLessThanOrEqual(5);
  });

  it("a changed stream is looked at again, and a message that becomes stuck on an unchanged stream is reclaimed", async () => {
    const p = uniquePrefix("change");
    const changing = `${p}changing`;
    const quiet = `${p}quiet`;
    const stuck = `${p}stuck`;
    await settledStream(changing, 10);
    await settledStream(quiet, 10);
    await redis().xadd(stuck, "*", "n", "1");
    await redis().xgroup("CREATE", stuck, "g", "0");
    await redis().xreadgroup("GROUP", "g", "crashed", "COUNT", 1, "STREAMS", stuck, ">");
    const settings = settingsFor(p, 1500);
    const run = () => tick({ redis: redis(), forced: true, settings, keyMatch: `${p}*` });

    const first = await run();
    // The pending message was read whole and is not stuck yet.
    expect(jobOf(first.jobs, "reclaim").counts).toMatchObject({ examined: 1, stuck: 0, reassigned: 0 });
    const second = await run();
    // Nothing changed, and the message cannot be stuck yet: its group's pending list is not read again.
    expect(jobOf(second.jobs, "reclaim").counts).toMatchObject({ examined: 0, reassigned: 0 });
    expect(jobOf(second.jobs, "history").counts).toMatchObject({ unchanged: 2 });

    // The changing stream gets 300 more entries, read and acked: trim and history see it.
    const pipe = redis().pipeline();
    for (let i = 0; i < 300; i++) pipe.xadd(changing, "*", "n", String(i));
    pipe.xreadgroup("GROUP", "g", "worker", "COUNT", 300, "STREAMS", changing, ">");
    await pipe.exec();
    const ids = ((await redis().xrange(changing, "-", "+")) as [string, string[]][]).map(([id]) => id);
    await redis().xack(changing, "g", ...ids);
    const quietSamples = await redis().xlen(historyKeys.stream(quiet));
    const changingSamples = await redis().xlen(historyKeys.stream(changing));

    // Time alone makes the message stuck: nothing about its stream changes.
    await sleep(1600);
    const third = await run();
    expect(jobOf(third.jobs, "trim").counts.streamsTrimmed).toBe(1);
    expect(await redis().xlen(changing)).toBeLessThan(310);
    expect(await redis().xlen(historyKeys.stream(changing))).toBe(changingSamples + 1);
    expect(await redis().xlen(historyKeys.stream(quiet))).toBe(quietSamples);
    // Alerts: the changed stream and the one with a pending message (its state changes with time).
    expect(jobOf(third.jobs, "alerts").counts).toMatchObject({ streams: 2, unchanged: 1 });
    expect(jobOf(third.jobs, "reclaim").counts).toMatchObject({ stuck: 1, reassigned: 1 });
    const owners = (await redis().xpending(stuck, "g")) as [number, string, string, [string, string][]];
    expect(owners[3]).toEqual([["rescuer", "1"]]);
  });

  it("the stuck snapshot reads no pending list whose oldest entry is younger than the threshold", async () => {
    const p = uniquePrefix("young");
    const young = 20;
    for (let i = 0; i < young; i++) {
      const key = `${p}y${i}`;
      await redis().xadd(key, "*", "n", "1");
      await redis().xgroup("CREATE", key, "g", "0");
      await redis().xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    }
    // Entries whose ids are older than the threshold, delivered just now: their list must be read.
    // One of them is made idle for 10 minutes (stuck), the other is not.
    const old = `${p}old`;
    const [sec] = await redis().time();
    const oldId = `${(Number(sec) - 600) * 1000}-0`;
    const stuckId = `${(Number(sec) - 600) * 1000}-1`;
    await redis().xadd(old, oldId, "n", "1");
    await redis().xadd(old, stuckId, "n", "2");
    await redis().xgroup("CREATE", old, "g", "0");
    await redis().xreadgroup("GROUP", "g", "c", "COUNT", 2, "STREAMS", old, ">");
    await redis().xclaim(old, "g", "c", 0, stuckId, "IDLE", 600_000);
    const settings = settingsFor(p, 60_000);

    const now = Date.now();
    const streams = tickStreamSource(redis(), settings, { cursor: "cost-young", match: `${p}*`, now });
    // The tick's snapshot, read by an earlier job: each pending list's oldest entry (21 XPENDING).
    expect((await streams.read()).whole).toBe(true);
    const ctx = { redis: redis(), settings, now, forced: true, heartbeat: async () => {}, keyMatch: `${p}*`, streams };
    const stats = await measureCommands(redis(), () => stuckSnapshotJob.run(ctx));
    // Only the old entries' list is read (all 21 were, before), and only its stuck entry is answered.
    expect(stats.byCommand.xpending).toBe(1);

    const kept = await readStuckSnapshot(redis());
    const byGroup = keptByGroup(kept);
    expect(byGroup.size).toBe(young + 1);
    for (let i = 0; i < young; i++) {
      const k = byGroup.get(keptGroupKey(`${p}y${i}`, "g"));
      expect(k).toMatchObject({ stuck: 0, complete: true });
      expect(k?.oldestId).toMatch(/^\d+-\d+$/);
    }
    expect(byGroup.get(keptGroupKey(old, "g"))).toMatchObject({ oldestId: oldId, stuck: 1, complete: true });
  });

  it("reclaim under the alert policy reports the kept stuck snapshot's count instead of reading the list again", async () => {
    const p = uniquePrefix("alerted");
    const key = `${p}s`;
    for (let i = 0; i < 30; i++) await redis().xadd(key, "*", "n", String(i));
    await redis().xgroup("CREATE", key, "g", "0");
    await redis().xreadgroup("GROUP", "g", "crashed", "COUNT", 30, "STREAMS", key, ">");
    await sleep(150);
    const settings = settingsFrom({ groups: [{ stream: `${p}*`, stuckAfterMs: 100, policy: "alert" }] });
    const ctx = {
      redis: redis(),
      settings,
      now: Date.now(),
      forced: true,
      heartbeat: async () => {},
      keyMatch: `${p}*`,
    };

    // No kept snapshot: the list is read.
    const live = await measureCommands(redis(), () => reclaimJob.run(ctx));
    expect(live.byCommand.xpending).toBeGreaterThanOrEqual(1);

    // The stuck snapshot job keeps the count; the next reclaim reads no pending list.
    const streams = tickStreamSource(redis(), settings, { cursor: "cost-alerted", match: `${p}*`, now: Date.now() });
    await stuckSnapshotJob.run({ ...ctx, streams });
    let result: Awaited<ReturnType<typeof reclaimJob.run>> | undefined;
    const kept = await measureCommands(redis(), async () => {
      result = await reclaimJob.run(ctx);
    });
    expect(result?.counts).toMatchObject({ stuck: 30, reassigned: 0 });
    expect(result?.notes.join()).toMatch(
      /30 stuck over 100 ms \(policy alert: reported only, from the stuck snapshot\)/,
    );
    // The tick's own snapshot (oldest pending, `- + 1`) is all the XPENDING left.
    expect(kept.byCommand.xpending ?? 0).toBe(1);
    expect(((await redis().xpending(key, "g")) as [number])[0]).toBe(30);
  });
});
