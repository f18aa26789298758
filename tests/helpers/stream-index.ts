import type { RedisConnection } from "@/lib/redis/connection";
import { readConnectionForRequest } from "@/lib/redis/client";
import { StreamIndex, streamIndexFor } from "@/lib/streams/stream-index";
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

/**
 * Ends the first pass of the stream index the app's requests read, so that an overview is whole
 * (`complete: true`): on a loaded machine a request's own scanning budget may not end it.
 */
export async function untilAppIndexWhole(): Promise<void> {
  const index = streamIndexFor(await readConnectionForRequest());
  while (index.discovery().discovering) await index.step();
}
