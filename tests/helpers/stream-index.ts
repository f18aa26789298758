import type { RedisConnection } from "@/lib/redis/connection";
import { StreamIndex } from "@/lib/streams/stream-index";
import type { KnownKeys } from "@/lib/streams/summary";

/**
 * The stream keys under `match` as the stream index lists them after one whole pass (what
 * GET /api/metrics hands collectMetrics). A fresh index, so keys written just before are in it.
 */
export async function indexedStreams(redis: RedisConnection, match: string): Promise<KnownKeys> {
  const index = new StreamIndex(redis);
  try {
    do await index.step();
    while (index.discovery().discovering);
    return { keys: index.select(match), complete: true };
  } finally {
    index.stop();
  }
}
