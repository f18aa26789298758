/**
 * CPU profile of the list rows alone, without HTTP: 10,000 streams (bench/lib.ts's overview seed) on
 * a private redis-server, every SCAN page of 1000 keys turned into rows by describeStreams, a few
 * passes. Run: `node --conditions=react-server --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/rows-profile.ts`,
 * then `npx tsx bench/cpu-profile.ts <dir>`.
 */
import Redis from "ioredis";
import { startRedisServer } from "../scripts/lib/redis-server";
import { describeStreams } from "../lib/streams/rows";
import { seedOverviewStreams } from "./lib";

const STREAMS = 10_000;
const PASSES = Number(process.env.PASSES ?? 5);

async function main(): Promise<void> {
  const server = await startRedisServer();
  const redis = new Redis({ port: server.port, lazyConnect: false });
  try {
    await seedOverviewStreams(() => redis, STREAMS);
    const times: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      const started = performance.now();
      let cursor = "0";
      let rows = 0;
      do {
        const [next, keys] = await redis.scan(cursor, "COUNT", 1000);
        rows += (await describeStreams(redis, keys, { groups: [] })).length;
        cursor = next;
      } while (cursor !== "0");
      times.push(performance.now() - started);
      if (rows !== STREAMS) throw new Error(`${rows} rows`);
    }
    console.log(`rows of ${STREAMS} streams: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

void main();
