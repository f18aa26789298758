/**
 * The poison mark of the stream rows: a row whose group holds a message delivered more times than
 * the `poison` rule allows carries `poison: {group, deliveries}` (from the firing alert, no PEL
 * read), on the index pages the overview reads and on SCAN pages; an ack and a new evaluation take
 * it away.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/streams/route";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { closeRedis } from "@/lib/redis/client";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { callRoute } from "../helpers/route";
import { makeSettings, useOwnAppPrefix } from "../helpers/settings";

const redis = testRedis();
const prefix = uniquePrefix("listpoison");

beforeAll(() => {
  useOwnAppPrefix("listpoison");
});
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

async function page(query: Record<string, string | number>): Promise<StreamsListResponse> {
  const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", { query });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function rows(query: Record<string, string | number>): Promise<StreamsListResponse["streams"]> {
  return (await page(query)).streams;
}

/** Every SCAN page to the end: other test files share the server, so one page may miss the keys. */
async function scanRows(match: string): Promise<StreamsListResponse["streams"]> {
  const found: StreamsListResponse["streams"] = [];
  let cursor = "0";
  do {
    const body = await page({ match, cursor, count: 1000 });
    found.push(...body.streams);
    cursor = body.cursor;
  } while (cursor !== "0");
  return found;
}

async function indexRows(): Promise<StreamsListResponse["streams"]> {
  // The index finds new keys on its next pass: ask until both streams are there.
  for (let i = 0; ; i++) {
    const found = await rows({ offset: 0, match: `${prefix}*` });
    if (found.length === 2 || i > 100) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("poison marks on GET /api/streams", () => {
  it("marks the stream whose group has a message delivered over the threshold, with the group and the count", async () => {
    const sick = `${prefix}sick`;
    const calm = `${prefix}calm`;
    for (const key of [sick, calm]) {
      await redis.xgroup("CREATE", key, "g", "0", "MKSTREAM");
      await redis.xadd(key, "1-0", "n", "1");
      await redis.xadd(key, "2-0", "n", "2");
      await redis.xreadgroup("GROUP", "g", "c", "COUNT", 2, "STREAMS", key, ">");
    }
    await redis.xgroup("CREATE", sick, "h", "0");
    await redis.xreadgroup("GROUP", "h", "c", "COUNT", 2, "STREAMS", sick, ">");
    await redis.call("XCLAIM", sick, "g", "c", 0, "1-0", "RETRYCOUNT", 836);
    await redis.call("XCLAIM", sick, "h", "c", 0, "2-0", "RETRYCOUNT", 12);
    await redis.call("XCLAIM", calm, "g", "c", 0, "1-0", "RETRYCOUNT", 10);
    const settings = makeSettings({});
    await evaluateAlerts(redis, settings, { now: Date.now(), match: `${prefix}*` });

    const page = await indexRows();
    expect(page.find((r) => r.key === sick)?.poison).toEqual({ group: "g", deliveries: 836 });
    expect(page.find((r) => r.key === calm)).toBeDefined();
    expect(page.find((r) => r.key === calm)!.poison).toBeUndefined();
    const scan = await scanRows(`${prefix}*`);
    expect(scan.find((r) => r.key === sick)?.poison).toEqual({ group: "g", deliveries: 836 });

    await redis.xack(sick, "g", "1-0");
    await evaluateAlerts(redis, settings, { now: Date.now(), match: `${prefix}*` });
    expect((await indexRows()).find((r) => r.key === sick)?.poison).toEqual({ group: "h", deliveries: 12 });
  });
});
