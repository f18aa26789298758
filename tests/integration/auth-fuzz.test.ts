/**
 * Property-based fuzz of every API route (discovered from the file system): arbitrary params,
 * query strings and bodies from authorized and unauthorized callers. No answer may be a 5xx, and
 * a rejected request (4xx) must leave the seeded data byte-for-byte unchanged (DUMP + PTTL of
 * every seeded key, and no new key).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { hashPassword } from "@/lib/auth/password";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { CROSS_ORIGIN, sessionCookieHeader, TEST_SESSION_SECRET, useAppPrefix, useConfig } from "../helpers/auth";
import { discoverRoutes, fillPattern, type DiscoveredRoute } from "../helpers/routes";

const redis = testRedis();
const prefix = uniquePrefix("fuzz");
const data = `${prefix}data:`;
const STREAM = `${data}s`;
const HASH = `${data}h`;
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const routes: DiscoveredRoute[] = await discoverRoutes();

async function seed(): Promise<void> {
  await cleanPrefix(redis, data);
  for (let i = 1; i <= 6; i++) await redis.xadd(STREAM, `${i}-0`, "n", String(i), "payload", `<b>${i}</b>`);
  await redis.xgroup("CREATE", STREAM, "g", "0");
  await redis.xgroup("CREATE", STREAM, "other", "$");
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", 3, "STREAMS", STREAM, ">");
  await redis.hset(HASH, "f", "v");
  await redis.pexpire(HASH, 3_600_000);
}

async function snapshot(): Promise<string> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, page] = await redis.scan(cursor, "MATCH", `${data}*`, "COUNT", 1000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== "0");
  keys.sort();
  const parts: string[] = [];
  for (const key of keys) {
    const dump = await redis.dumpBuffer(key);
    // TTLs tick down: compare whether one is set, not its value.
    const pttl = await redis.pttl(key);
    parts.push(`${key}=${dump?.toString("base64")}:${pttl > 0 ? "ttl" : pttl}`);
  }
  return parts.join("\n");
}

const admin = { cookie: sessionCookieHeader({ u: "ada", m: "password" }) };
const viewer = { cookie: sessionCookieHeader({ u: "vera", m: "password" }) };
const callers = fc.constantFrom<[string, Record<string, string>]>(
  ["admin", admin],
  ["admin", admin],
  ["viewer", viewer],
  ["anonymous", {}],
  ["cross-origin admin", { ...admin, ...CROSS_ORIGIN }],
);

const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }), fc.constantFrom("", "0", "-", "+", "1-0", "(1-0", "*", "$", ">", "NaN", "-1", "1e309", "99999999999999999999999-0"));
const keyParam = fc.oneof(fc.constant(STREAM), fc.constant(HASH), fc.constant(`${data}missing`), text.map((s) => `${data}${s}`));
const groupParam = fc.oneof(fc.constantFrom("g", "other", "nope"), text);
const QUERY_NAMES = ["start", "end", "count", "order", "match", "cursor", "consumer", "minIdleMs", "minDeliveries", "range", "limit", "actor", "action", "stream", "result", "from", "to", "type"];
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 10 })), text, { maxKeys: 5 });
const idList = fc.array(fc.oneof(fc.constantFrom("1-0", "2-0", "3-0", "4-0", "0-0", "18446744073709551615-18446744073709551615"), text), { maxLength: 30 });
const plausibleBody = fc.record(
  {
    ids: idList,
    filter: fc.record({ consumer: text, minIdleMs: fc.oneof(fc.integer(), fc.double(), text), minDeliveries: fc.integer(), minId: text, maxId: text }, { requiredKeys: [] }),
    dryRun: fc.boolean(),
    allGroups: fc.boolean(),
    consumer: text,
    minIdleMs: fc.oneof(fc.integer(), text),
    target: keyParam,
    fields: fc.oneof(fc.array(fc.tuple(text, text), { maxLength: 5 }), fc.jsonValue()),
    name: text,
    startId: text,
    id: text,
    forMs: fc.oneof(fc.integer(), text),
    username: text,
    password: text,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  plausibleBody.map((b) => ({ body: b as unknown })),
  fc.jsonValue({ maxDepth: 3 }).map((b) => ({ body: b as unknown })),
  fc.string({ maxLength: 200 }).map((raw) => ({ rawBody: raw })),
);

/** Keys a request may write besides its path key (a dead-letter target). */
function targetOf(b: { body?: unknown } | { rawBody: string }): unknown {
  return "body" in b && typeof b.body === "object" && b.body !== null ? (b.body as { target?: unknown }).target : undefined;
}

beforeAll(async () => {
  useAppPrefix(`${prefix}app:`);
  const hash = await hashPassword("pw");
  useConfig({
    auth: {
      users: [
        { username: "ada", role: "admin", passwordHash: hash },
        { username: "vera", role: "viewer", passwordHash: hash },
      ],
      sessionSecret: TEST_SESSION_SECRET,
    },
  });
  await seed();
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("fuzzing every route", () => {
  it("found the routes", () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  for (const route of routes) {
    const unsafe = !["GET", "HEAD"].includes(route.method);
    it(`${route.id}: no 5xx, no change after a rejected request`, async () => {
      await fc.assert(
        fc.asyncProperty(keyParam, groupParam, text, text, query, body, callers, async (key, group, consumer, anyId, q, b, [who, headers]) => {
          const { path, params } = fillPattern(route.pattern, { key, group, consumer, id: anyId });
          const outside = [params.key, targetOf(b)].filter((k): k is string => typeof k === "string" && !k.startsWith(data));
          const before = await snapshot();
          const existedBefore = outside.length ? await redis.exists(...outside) : 0;
          const res = await callRoute(route.handler, path, {
            method: route.method,
            params,
            query: q,
            ...(unsafe ? b : {}),
            headers,
          });
          const label = `${who} ${route.id} ${JSON.stringify({ params, q, b }).slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
          expect(res.status, label).toBeLessThan(500);
          if (res.status >= 400) {
            expect(await snapshot(), `data changed after a rejected request: ${label}`).toBe(before);
            if (outside.length) expect(await redis.exists(...outside), label).toBe(existedBefore);
          } else if ((await snapshot()) !== before) {
            await seed();
          }
        }),
        { numRuns: RUNS },
      );
    }, 300_000);
  }
});
