import Redis from "ioredis";
import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";

/** A raw client for seeding and checking, on the test server. Closed after the file. */
export function testRedis(): Redis {
  const client = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await client.quit();
  });
  return client;
}

/** A key prefix of the test's own; SCAN with `${prefix}*` sees only its keys. */
export function uniquePrefix(name = "t"): string {
  return `test:${name}:${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key under a prefix (bounded SCAN loop). */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}
