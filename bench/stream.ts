/**
 * Stream page benchmark: the API calls the stream page makes on load (GET /api/streams/{key} and
 * the first page of entries, newest first, 50 entries) on a 1,000,000-entry stream vs a
 * 100-entry one, through the built app (`next start`) on a private redis-server. Both streams have
 * 2 groups with pending entries. Target: the big stream within 1.5x of the small one.
 * Run: `npx tsx bench/stream.ts` (builds the app first when there is no build).
 */
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";
import { ensureBuilt, fmtMs, isMain, medianOf, startApp } from "./lib";

const BIG = 1_000_000;
const SMALL = 100;
const BATCH = 10_000;
const RUNS = 15;

async function seed(redis: Redis, key: string, size: number): Promise<void> {
  await redis.xgroup("CREATE", key, "fast", "0", "MKSTREAM");
  await redis.xgroup("CREATE", key, "slow", "0");
  for (let done = 0; done < size; done += BATCH) {
    const pipeline = redis.pipeline();
    for (let i = done; i < Math.min(size, done + BATCH); i++) {
      pipeline.xadd(key, "*", "order", String(i), "payload", `{"n":${i},"sku":"A-${i % 977}","qty":${i % 7}}`);
    }
    await pipeline.exec();
  }
  // Some pending in both groups, the newest entries delivered but not read by "slow".
  await redis.xreadgroup("GROUP", "fast", "f1", "COUNT", Math.min(size, 50), "STREAMS", key, ">");
  await redis.xreadgroup("GROUP", "slow", "s1", "COUNT", Math.min(size, 20), "STREAMS", key, ">");
}

export interface StreamBenchResult {
  bigMs: number;
  smallMs: number;
  ratio: number;
}

export async function runStreamBench(): Promise<StreamBenchResult> {
  ensureBuilt();
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const t0 = performance.now();
    await seed(redis, "bench:stream:big", BIG);
    await seed(redis, "bench:stream:small", SMALL);
    console.log(
      `stream bench: seeded ${BIG.toLocaleString("en-US")} + ${SMALL} entries in ${fmtMs(performance.now() - t0)}`,
    );
    app = await startApp(server.url);
    const base = app.url;

    const pageLoad = (key: string) => async () => {
      const k = encodeURIComponent(key);
      const responses = await Promise.all([
        fetch(`${base}/api/streams/${k}`),
        fetch(`${base}/api/streams/${k}/entries?order=desc&count=50`),
      ]);
      for (const res of responses) {
        if (!res.ok) throw new Error(`${res.url} answered ${res.status}`);
        await res.json();
      }
    };
    // Interleave to spread noise from the shared machine over both.
    const big: number[] = [];
    const small: number[] = [];
    for (let round = 0; round < 3; round++) {
      big.push((await medianOf(RUNS, pageLoad("bench:stream:big"))).medianMs);
      small.push((await medianOf(RUNS, pageLoad("bench:stream:small"))).medianMs);
    }
    const bigMs = [...big].sort((a, b) => a - b)[1]!;
    const smallMs = [...small].sort((a, b) => a - b)[1]!;
    const ratio = bigMs / smallMs;
    console.log(`stream page (detail + first 50 entries), median of ${RUNS} runs x 3 rounds:`);
    console.log(`  ${BIG.toLocaleString("en-US")}-entry stream: ${bigMs.toFixed(1)} ms`);
    console.log(`  ${SMALL}-entry stream:       ${smallMs.toFixed(1)} ms`);
    console.log(`  ratio: ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? "OK" : "OVER TARGET"}`);
    return { bigMs, smallMs, ratio };
  } finally {
    await app?.stop();
    redis.disconnect();
    await server.stop();
  }
}

if (isMain(import.meta.url)) {
  runStreamBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
