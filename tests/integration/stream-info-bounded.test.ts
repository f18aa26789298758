/**
 * XINFO STREAM answers a stream's first and last entries whole, and the lag's `XRANGE (id + COUNT 1`
 * an entry. A page of streams whose entries hold MiB values is read in rounds bounded in bytes
 * (lib/streams/stream-info.ts), so Redis never holds more than about one round's replies in an
 * output buffer, and none of the reads is over 10 ms inside Redis. On a private server: its client
 * statistics and slow log are this file's.
 */
import Redis from "ioredis";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getGroupDetail } from "@/lib/pending/group";
import { describeStreams } from "@/lib/streams/rows";
import { MEMORY_REUSE_MS, ROUND_BYTES } from "@/lib/streams/stream-info";
import { MEMORY_USAGE_MAX_CONSUMERS } from "@/lib/streams/snapshot";
import { readTrimPreview } from "@/lib/streams/trim-preview";
import { measureCommands } from "../helpers/command-stats";
import { watchCommands } from "../helpers/monitor";
import { privateRedis } from "../helpers/redis";
import { expectNoSlowDashboardCommands, resetSlowLog } from "../helpers/slowlog";

const own = privateRedis();
const MiB = 1024 * 1024;
const FAT = 30;
const settings = { groups: [] };
const ids = new Map<string, [string, string]>();

let app: Redis;

/** The biggest output buffer Redis held for a client in the last seconds. */
async function recentMaxOutputBuffer(): Promise<number> {
  return Number(/client_recent_max_output_buffer:(\d+)/.exec(await own.raw().info("clients"))![1]);
}

/** Waits until Redis's recent peak of output buffers has forgotten earlier reads (it keeps about 8 s). */
async function outputPeakForgotten(): Promise<void> {
  for (let i = 0; i < 120 && (await recentMaxOutputBuffer()) > MiB; i++) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
  const redis = own.raw();
  app = new Redis(own.server().url, { connectionName: "streamscope-test", maxRetriesPerRequest: 1 });
  for (let i = 0; i < FAT; i++) {
    const key = `fat:${i}`;
    const first = (await redis.xadd(key, "*", "payload", Buffer.alloc(MiB, 97 + (i % 26))))!;
    const last = (await redis.xadd(key, "*", "payload", Buffer.alloc(MiB, 98 + (i % 26))))!;
    ids.set(key, [first, last]);
    // The group has read the first entry: its lag in time reads the last one.
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
  }
  for (let i = 0; i < 10; i++) {
    const key = `small:${i}`;
    ids.set(key, [(await redis.xadd(key, "1-0", "n", "1"))!, (await redis.xadd(key, "2-0", "n", "2"))!]);
  }
  await resetSlowLog(redis);
}, 60_000);

describe("reads that answer whole entries, on streams of 1 MiB entries", () => {
  it("reads a page of them in rounds: every row right, never 60 MiB of replies in Redis's output buffer", async () => {
    const keys = [...ids.keys()];
    await outputPeakForgotten();
    let rows: Awaited<ReturnType<typeof describeStreams>> = [];
    const stats = await measureCommands(own.raw(), async () => (rows = await describeStreams(app, keys, settings)));
    expect(rows.map((r) => [r.key, r.firstEntryId, r.lastEntryId, r.length])).toEqual(
      keys.map((k) => [k, ids.get(k)![0], ids.get(k)![1], 2]),
    );
    for (const row of rows.filter((r) => r.key.startsWith("fat:"))) {
      expect(row).toMatchObject({ pending: 1, groupCount: 1, lag: 1 });
      expect(row.lagMs).toBeGreaterThanOrEqual(0);
    }
    // Every stream's first and last entries, and each group's next entry, were read...
    expect(stats.byCommand["xinfo|stream"]).toBe(keys.length);
    expect(stats.byCommand.xrange).toBe(FAT);
    // ...but never all at once: 90 MiB in one pipeline would sit in one output buffer.
    expect(await recentMaxOutputBuffer()).toBeLessThan(ROUND_BYTES + MiB);
  });

  it("the group page and the trim preview read the same way", async () => {
    const detail = await getGroupDetail(app, "fat:0", "g");
    expect(detail).toMatchObject({ pending: 1, lag: 1 });
    expect(detail.lagMs).toBeGreaterThanOrEqual(0);
    const preview = await readTrimPreview(app, "fat:0");
    expect(preview.length).toBe(2);
  });

  it("reads small streams it has seen before in one round, and sizes them again (a round later) only when they changed", async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `seen:${i}`);
    for (const key of keys) await own.raw().xadd(key, "1-0", "n", "1");
    const read = async () => {
      const watch = await watchCommands(own.server().url);
      const rows = await describeStreams(app, keys, settings);
      const order = (await watch.stop())
        .filter((l) => /^"(XINFO" "STREAM|MEMORY" "USAGE)" "seen:/i.test(l))
        .map((l) => l.split(" ").slice(0, 3).join(" ").replace(/"/g, "").toLowerCase());
      return { order, memory: Object.fromEntries(rows.map((r) => [r.key, r.memoryBytes])) };
    };
    // First read: every size, then (a round later) every XINFO STREAM.
    const first = await read();
    expect(first.order).toEqual([...keys.map((k) => `memory usage ${k}`), ...keys.map((k) => `xinfo stream ${k}`)]);
    for (const key of keys) expect(first.memory[key]).toBeGreaterThan(0);
    // Known small and unchanged since: XINFO STREAM in the first round, and the size read last time.
    const second = await read();
    expect(second.order).toEqual(keys.map((k) => `xinfo stream ${k}`));
    expect(second.memory).toEqual(first.memory);
    // A new entry in one stream and a new group on another: those two are sized again, after.
    await own.raw().xadd("seen:1", "2-0", "n", "x".repeat(20_000));
    await own.raw().xgroup("CREATE", "seen:3", "g", "0");
    const third = await read();
    expect(third.order).toEqual([
      ...keys.map((k) => `xinfo stream ${k}`),
      "memory usage seen:1",
      "memory usage seen:3",
    ]);
    expect(third.memory["seen:1"]).toBeGreaterThan(first.memory["seen:1"]!);
    expect(third.memory["seen:0"]).toBe(first.memory["seen:0"]);
    // A size read MEMORY_REUSE_MS ago is read again even when nothing changed.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + MEMORY_REUSE_MS);
      expect((await read()).order).toEqual([
        ...keys.map((k) => `xinfo stream ${k}`),
        ...keys.map((k) => `memory usage ${k}`),
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not size a stream that was small at its last read and has gained over 10,000 consumers since", async () => {
    const key = "seen:crowded";
    await own.raw().xadd(key, "1-0", "n", "1");
    await own.raw().xgroup("CREATE", key, "g", "0");
    const [first] = await describeStreams(app, [key], settings);
    expect(first?.memoryBytes).toBeGreaterThan(0);
    const pipe = own.raw().pipeline();
    for (let i = 0; i <= MEMORY_USAGE_MAX_CONSUMERS; i++) pipe.xgroup("CREATECONSUMER", key, "g", `c${i}`);
    await pipe.exec();
    const watch = await watchCommands(own.server().url);
    const [second] = await describeStreams(app, [key], settings);
    const sent = (await watch.stop())
      .filter((l) => l.includes(`"${key}"`))
      .map((l) => l.split(" ")[0]!.replace(/"/g, ""));
    expect(sent).toContain("XINFO");
    expect(sent).not.toContain("MEMORY");
    expect(second).toMatchObject({ key, length: 1, memoryBytes: null, memoryUnknown: "consumers" });
  });

  it("left no dashboard command in the slow log (10 ms)", async () => {
    await expectNoSlowDashboardCommands(own.raw());
  });
});
