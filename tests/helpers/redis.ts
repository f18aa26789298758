import Redis from "ioredis";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { startRedisServer, type PrivateRedis } from "@/scripts/lib/redis-server";

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

/**
 * A redis-server of this test file's own, with REDIS_URL pointing at it for the app, and a raw client
 * for seeding and checking. For tests whose reads walk the whole key space (the stream index), which
 * other files' keys on the shared server would slow down or cut short.
 */
export function privateRedis(extraArgs: string[] = []): { raw: () => Redis; server: () => PrivateRedis } {
  let server: PrivateRedis | undefined;
  let raw: Redis | undefined;
  const before = process.env.REDIS_URL;
  beforeAll(async () => {
    server = await startRedisServer({ extraArgs });
    await closeRedis();
    process.env.REDIS_URL = server.url;
    resetProcessState();
    raw = new Redis(server.url, { maxRetriesPerRequest: 1 });
  }, 30_000);
  afterAll(async () => {
    await closeRedis();
    await raw?.quit();
    await server?.stop();
    process.env.REDIS_URL = before;
    resetProcessState();
  });
  return { raw: () => raw!, server: () => server! };
}
