/**
 * Pending benchmark: `npx tsx bench/pending.ts` (or `runPendingBench()` from bench/index.ts).
 *
 * On a private redis-server:
 *  1. ack-by-filter and requeue-by-filter of 100,000 pending messages through the lib, against
 *     a minimal pipelined loop issuing the same commands (target: lib >= 0.5x the loop);
 *  2. the first pending page with a PEL of 1,000 against one of 1,000,000 (median of several
 *     runs; target: within 1.5x);
 *  3. SLOWLOG (slowlog-log-slower-than 10000 set at the start): every command of the dashboard
 *     connection slower than 10 ms is printed (target: none).
 */
import { createRequire } from "node:module";
import { setPriority } from "node:os";
import { performance } from "node:perf_hooks";
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";

// lib/ modules import "server-only", which throws outside Next's react-server build: stand it in.
const localRequire = createRequire(__filename);
const serverOnly = localRequire.resolve("server-only");
localRequire.cache[serverOnly] = { id: serverOnly, filename: serverOnly, loaded: true, exports: {} } as never;

const BULK = 100_000;
const SMALL_PEL = 1_000;
const BIG_PEL = 1_000_000;
const PAGE_RUNS = 31;
const DASHBOARD_CLIENT = "streamscope-bench-dashboard";

export interface PendingBenchResult {
  ack: { libPerSec: number; loopPerSec: number; ratio: number };
  requeue: { libPerSec: number; loopPerSec: number; ratio: number };
  firstPage: { smallMs: number; bigMs: number; ratio: number };
  extras: Record<string, number>;
  slowDashboardCommands: { durationMs: number; command: string }[];
  pass: boolean;
}

const log = (...args: unknown[]) => console.log(...args);
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function seed(redis: Redis, stream: string, n: number, group = "g"): Promise<void> {
  await redis.del(stream);
  await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM");
  const payload = "x".repeat(64);
  for (let i = 0; i < n; i += 10_000) {
    const pipe = redis.pipeline();
    for (let j = i; j < Math.min(n, i + 10_000); j++) pipe.xadd(stream, "*", "order", String(j), "payload", payload);
    await pipe.exec();
  }
  for (let left = n; left > 0; left -= 1000) {
    await redis.xreadgroup("GROUP", group, "worker", "COUNT", Math.min(1000, left), "STREAMS", stream, ">");
  }
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await work();
  return [out, performance.now() - t0];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The minimal loop: XPENDING pages of 1000, then XACK batches of 500 in one pipeline. */
async function loopAck(redis: Redis, stream: string, group: string): Promise<number> {
  let done = 0;
  let start = "-";
  for (;;) {
    const rows = (await redis.xpending(stream, group, start, "+", 1000)) as [string][];
    if (rows.length === 0) return done;
    const ids = rows.map((r) => r[0]);
    const pipe = redis.pipeline();
    for (let i = 0; i < ids.length; i += 500) pipe.xack(stream, group, ...ids.slice(i, i + 500));
    for (const [, n] of (await pipe.exec()) ?? []) done += Number(n);
    start = `(${ids[ids.length - 1]}`;
  }
}

/** The minimal loop for requeue: XPENDING page, pipelined XRANGE id id, pipelined XADD copy + XACK. */
async function loopRequeue(redis: Redis, stream: string, group: string): Promise<number> {
  let done = 0;
  let start = "-";
  for (;;) {
    const rows = (await redis.xpending(stream, group, start, "+", 1000)) as [string, string, number, number][];
    if (rows.length === 0) return done;
    const read = redis.pipeline();
    for (const [id] of rows) read.xrangeBuffer(stream, id, id, "COUNT", 1);
    const entries = (await read.exec()) ?? [];
    const write = redis.pipeline();
    const now = String(Date.now());
    rows.forEach(([id, , , deliveries], i) => {
      const entry = (entries[i]?.[1] as [Buffer, Buffer[]][] | undefined)?.[0];
      if (!entry) return;
      write.xadd(
        stream,
        "*",
        ...entry[1],
        "streamscope-origin-stream",
        stream,
        "streamscope-origin-group",
        group,
        "streamscope-origin-id",
        id,
        "streamscope-deliveries",
        String(deliveries),
        "streamscope-requeued-at",
        now,
        "streamscope-reason",
        "bench",
      );
      write.xack(stream, group, id);
    });
    await write.exec();
    done += rows.length;
    start = `(${rows[rows.length - 1]![0]}`;
  }
}

export async function runPendingBench(): Promise<PendingBenchResult> {
  const { ackPending, requeuePending } = await import("@/lib/actions/pending-actions");
  const { readPendingPage } = await import("@/lib/pending/page");
  const { readIdleHistogram } = await import("@/lib/pending/idle-histogram");
  const { pendingQuerySchema } = await import("@/lib/contract/pending");

  const server = await startRedisServer();
  // On a shared, busy machine the scheduler drowns the figures; raise the priority of our own
  // redis-server and of this process for the run (best effort: needs the right to renice).
  for (const pid of [server.pid, process.pid]) {
    try {
      setPriority(pid, -10);
    } catch {
      /* not allowed: run at normal priority */
    }
  }
  const seedConn = new Redis(server.url, { connectionName: "bench-seed" });
  const loopConn = new Redis(server.url, { connectionName: "bench-minimal-loop" });
  const dash = new Redis(server.url, { connectionName: DASHBOARD_CLIENT });
  const extras: Record<string, number> = {};
  try {
    await seedConn.config("SET", "slowlog-log-slower-than", "10000");
    await seedConn.config("SET", "slowlog-max-len", "1024");
    await seedConn.slowlog("RESET");
    log(`redis-server ${(await seedConn.info("server")).match(/redis_version:(\S+)/)?.[1]} on ${server.url}`);

    // 1. Bulk ack and requeue by filter.
    await seed(seedConn, "bench:ack:loop", BULK);
    const [loopAcked, loopAckMs] = await timed(() => loopAck(loopConn, "bench:ack:loop", "g"));
    await seed(seedConn, "bench:ack:lib", BULK);
    const [libAck, libAckMs] = await timed(() => ackPending(dash, "bench:ack:lib", "g", { filter: {} }));
    if (loopAcked !== BULK || !("acked" in libAck) || libAck.acked !== BULK)
      throw new Error("ack bench did not ack everything");
    const ack = { libPerSec: rate(BULK, libAckMs), loopPerSec: rate(BULK, loopAckMs), ratio: loopAckMs / libAckMs };
    log(
      `ack-by-filter ${BULK}: lib ${ack.libPerSec} msg/s, minimal loop ${ack.loopPerSec} msg/s, ratio ${ack.ratio.toFixed(2)}x (target >= 0.5x)`,
    );
    await seedConn.del("bench:ack:loop", "bench:ack:lib");
    // With a condition the lib re-checks each id inside a script (a live consumer may have taken it).
    await seed(seedConn, "bench:ack:cond", BULK);
    const [, condMs] = await timed(() => ackPending(dash, "bench:ack:cond", "g", { filter: { minDeliveries: 1 } }));
    extras.ackWithConditionPerSec = rate(BULK, condMs);
    log(
      `  ack-by-filter with a condition (minDeliveries 1, re-checked per id in Lua): lib ${extras.ackWithConditionPerSec} msg/s`,
    );
    await seedConn.del("bench:ack:cond");

    await seed(seedConn, "bench:rq:loop", BULK);
    const [loopMoved, loopRqMs] = await timed(() => loopRequeue(loopConn, "bench:rq:loop", "g"));
    await seed(seedConn, "bench:rq:lib", BULK);
    const [libRq, libRqMs] = await timed(() =>
      requeuePending(dash, "bench:rq:lib", "g", { filter: {}, reason: "bench" }),
    );
    if (loopMoved !== BULK || !("requeued" in libRq) || libRq.requeued !== BULK)
      throw new Error("requeue bench did not move everything");
    const requeue = { libPerSec: rate(BULK, libRqMs), loopPerSec: rate(BULK, loopRqMs), ratio: loopRqMs / libRqMs };
    log(
      `requeue-by-filter ${BULK}: lib ${requeue.libPerSec} msg/s, minimal loop ${requeue.loopPerSec} msg/s, ratio ${requeue.ratio.toFixed(2)}x (target >= 0.5x)`,
    );
    await seedConn.del("bench:rq:loop", "bench:rq:lib");

    // 2. First pending page, small vs big PEL.
    await seed(seedConn, "bench:page:small", SMALL_PEL);
    await seed(seedConn, "bench:page:big", BIG_PEL);
    const query = pendingQuerySchema.parse({});
    const onePage = async (stream: string, q = query) => {
      const [page, ms] = await timed(() => readPendingPage(dash, stream, "g", q));
      if (page.entries.length === 0) throw new Error(`empty first page on ${stream}`);
      return ms;
    };
    // Interleaved runs so both sizes see the same machine load; two warm-up rounds.
    const pageMs = async (a: string, b: string, q = query): Promise<[number, number]> => {
      const runsA: number[] = [];
      const runsB: number[] = [];
      for (let i = 0; i < PAGE_RUNS + 2; i++) {
        const msA = await onePage(a, q);
        const msB = await onePage(b, q);
        if (i >= 2) {
          runsA.push(msA);
          runsB.push(msB);
        }
      }
      return [median(runsA), median(runsB)];
    };
    const [smallMs, bigMs] = await pageMs("bench:page:small", "bench:page:big");
    const firstPage = { smallMs, bigMs, ratio: bigMs / smallMs };
    log(
      `first pending page (100 rows): PEL ${SMALL_PEL} ${smallMs.toFixed(2)} ms, PEL ${BIG_PEL} ${bigMs.toFixed(2)} ms, ratio ${firstPage.ratio.toFixed(2)}x (target <= 1.5x)`,
    );
    extras.bigPelWithFieldsMs = (
      await pageMs("bench:page:small", "bench:page:big", pendingQuerySchema.parse({ withFields: "1" }))
    )[1];
    const [, histMs] = await timed(() => readIdleHistogram(dash, "bench:page:big", "g"));
    extras.bigPelHistogramMs = histMs;
    log(
      `extras on the ${BIG_PEL} PEL: page withFields ${extras.bigPelWithFieldsMs.toFixed(2)} ms; ` +
        `histogram (sampled) ${histMs.toFixed(1)} ms`,
    );
    const [idlePage, idleMs] = await timed(() =>
      readPendingPage(dash, "bench:page:big", "g", pendingQuerySchema.parse({ minIdleMs: String(3_600_000) })),
    );
    extras.bigPelIdleFilterBudgetMs = idleMs;
    log(
      `  filtered page minIdleMs=1h (nothing matches): ${idleMs.toFixed(1)} ms, scanLimited=${idlePage.scanLimited}, next=${idlePage.next}`,
    );

    // 3. SLOWLOG: dashboard commands slower than 10 ms.
    const slowlog = (await seedConn.call("SLOWLOG", "GET", "1024")) as unknown[][];
    const slow = slowlog.map((e) => ({
      durationMs: Number(e[2]) / 1000,
      command: (e[3] as unknown[]).slice(0, 6).map(String).join(" ").slice(0, 120),
      client: String(e[5] ?? ""),
    }));
    const dashboardSlow = slow.filter((s) => s.client === DASHBOARD_CLIENT);
    log(
      `SLOWLOG: ${slow.length} commands over 10 ms in all, ${dashboardSlow.length} from the dashboard connection (target 0)`,
    );
    const byCommand = new Map<string, number[]>();
    for (const s of dashboardSlow) {
      const name = s.command.split(" ")[0]!.toUpperCase();
      byCommand.set(name, [...(byCommand.get(name) ?? []), s.durationMs]);
    }
    for (const [name, ms] of byCommand) {
      log(
        `  dashboard ${name}: ${ms.length} over 10 ms, median ${median(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`,
      );
    }
    for (const s of dashboardSlow.slice(0, 5))
      log(`  e.g. ${s.durationMs.toFixed(1)} ms  ${s.command.replace(/\s+/g, " ").slice(0, 100)}`);
    const load = (await import("node:os")).loadavg()[0]!;
    log(
      `  (machine load average ${load.toFixed(1)} on ${(await import("node:os")).cpus().length} cores: SLOWLOG times are wall clock and include preemption)`,
    );

    const pass = ack.ratio >= 0.5 && requeue.ratio >= 0.5 && firstPage.ratio <= 1.5 && dashboardSlow.length === 0;
    log(pass ? "pending bench: all targets met" : "pending bench: TARGET MISSED");
    return {
      ack,
      requeue,
      firstPage,
      extras,
      slowDashboardCommands: dashboardSlow.map(({ durationMs, command }) => ({ durationMs, command })),
      pass,
    };
  } finally {
    await Promise.all([seedConn.quit(), loopConn.quit(), dash.quit()]).catch(() => undefined);
    await server.stop();
  }
}

if (require.main === module) {
  runPendingBench().then(
    (r) => process.exit(r.pass ? 0 : 1),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
