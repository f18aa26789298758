import "server-only";
import type Redis from "ioredis";
import { notFound, wrongType } from "@/lib/errors";

/** 404 for a missing key, 409 for a key of another type. An empty stream is still a stream. */
export async function assertStream(redis: Redis, key: string): Promise<void> {
  const type = await redis.type(key);
  if (type === "none") throw notFound(`No stream named "${key}"`);
  if (type !== "stream") throw wrongType(key, type);
}

/** 404 unless the group exists on the stream (checked after assertStream). */
export async function assertGroup(redis: Redis, key: string, group: string): Promise<void> {
  const groups = (await redis.call("XINFO", "GROUPS", key)) as unknown[];
  const found = groups.some((g) => Array.isArray(g) && g[0] === "name" && g[1] === group);
  if (!found) throw notFound(`Stream "${key}" has no consumer group "${group}"`);
}
