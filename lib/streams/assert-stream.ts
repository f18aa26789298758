import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { notFound, wrongType } from "@/lib/errors";

/** 404 for a missing key, 409 for a key of another type. An empty stream is still a stream. */
export async function assertStream(redis: RedisConnection, key: string): Promise<void> {
  assertStreamType(key, await redis.type(key));
}

/** As assertStream, from a `TYPE` reply read already (sent beside the reads that follow it). */
export function assertStreamType(key: string, type: string): void {
  if (type === "none") throw notFound(`No stream named "${key}"`);
  if (type !== "stream") throw wrongType(key, type);
}
