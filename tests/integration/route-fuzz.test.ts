/**
 * Property-based fuzz of every API route (found on disk): arbitrary params, query strings and
 * bodies, with stream ids around the 64-bit edges where ids are expected, from authorized and
 * unauthorized callers. No answer may be a 5xx, and a rejected request (4xx) must leave the
 * test's data unchanged (a digest of DUMP and TTL-set of every key under the data prefix) and
 * create no key outside it. Bounded: FUZZ_RUNS per route (default 60, a few thousand requests).
 *
 * Route handlers are called directly, so percent-escapes in the URL are not exercised here (the
 * framework decodes path segments before a handler runs; proxy.ts answers malformed ones, tested
 * in tests/e2e/auth.spec.ts).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { GET as auditGET } from "@/app/api/audit/route";
import { hashPassword } from "@/lib/auth/password";
import { resetProcessState } from "@/lib/runtime/state";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { CROSS_ORIGIN, sessionCookieHeader, TEST_SESSION_SECRET, useAppPrefix, useConfig } from "../helpers/auth";
import { discoverRoutes, fillPattern, type DiscoveredRoute } from "../helpers/routes";

const redis = testRedis();
const prefix = uniquePrefix("fuzz");
const data = `${prefix}data:`;
const STREAM = `${data}s`;
const DLQ = `${data}s:dlq`;
const HASH = `${data}h`;
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const routes: DiscoveredRoute[] = await discoverRoutes();
let requests = 0;

async function seed(): Promise<void> {
  await cleanPrefix(redis, data);
  for (let i = 1; i <= 6; i++) await redis.xadd(STREAM, `${i}-0`, "n", String(i), "payload", `<b>${i}</b>`);
  await redis.xgroup("CREATE", STREAM, "g", "0");
  await redis.xgroup("CREATE", STREAM, "other", "$");
  await redis.xreadgroup("GROUP", "g", "c", "COUNT", 4, "STREAMS", STREAM, ">");
  await redis.xadd(DLQ, "1-0", "n", "1", "streamscope-origin-stream", STREAM, "streamscope-origin-id", "1-0");
  await redis.hset(HASH, "f", "v");
  await redis.pexpire(HASH, 3_600_000);
}

/** DUMP and whether a TTL is set (TTLs tick down), of every key under the data prefix, as one digest. */
async function digest(): Promise<string> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, page] = await redis.scan(cursor, "MATCH", `${data}*`, "COUNT", 1000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== "0");
  keys.sort();
  const pipe = redis.pipeline();
  for (const key of keys) pipe.dumpBuffer(key).pttl(key);
  const replies = (await pipe.exec()) ?? [];
  const hash = createHash("sha256");
  keys.forEach((key, i) => {
    const dump = replies[2 * i]?.[1] as Buffer | null;
    const pttl = Number(replies[2 * i + 1]?.[1]);
    hash.update(`${key}\0${dump?.toString("base64") ?? ""}\0${pttl > 0 ? "ttl" : pttl}\n`);
  });
  return hash.digest("hex");
}

const admin = { cookie: sessionCookieHeader({ u: "ada", m: "password" }) };
const viewer = { cookie: sessionCookieHeader({ u: "vera", m: "password" }) };
const callers = fc.constantFrom<[string, Record<string, string>]>(
  ["admin", admin],
  ["admin", admin],
  ["admin", admin],
  ["viewer", viewer],
  ["anonymous", {}],
  ["cross-origin admin", { ...admin, ...CROSS_ORIGIN }],
);

const U64 = 18446744073709551615n;
const edge = fc.constantFrom(String(U64), String(U64 + 1n));
const anyDigits = fc.constantFrom(
  "0",
  "1",
  "6",
  String(2n ** 53n),
  String(2n ** 63n - 1n),
  String(2n ** 63n),
  String(U64),
  String(U64 + 1n),
  String(10n ** 20n),
  "99999999999999999999999",
  "-1",
  "00000000000000000000001",
);
const bigDigits = fc.oneof({ arbitrary: edge, weight: 2 }, { arbitrary: anyDigits, weight: 3 });
const streamId = fc.oneof(
  { arbitrary: fc.tuple(bigDigits, bigDigits).map(([a, b]) => `${a}-${b}`), weight: 3 },
  bigDigits,
  fc.tuple(fc.constantFrom("(", "time:", "+", "-", ""), bigDigits).map(([p, d]) => `${p}${d}`),
  fc.constantFrom(
    "-",
    "+",
    "$",
    ">",
    "*",
    "0",
    "1-0",
    "1-*",
    "1-2-3",
    "time:2026-01-01T00:00:00Z",
    "time:",
    "NaN",
    "1e309",
  ),
);
const text = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("", "0", "*", "<b>x</b>", "../x", "%ZZ"),
);
const value = fc.oneof(streamId, text, bigDigits);
const keyParam = fc.oneof(
  fc.constant(STREAM),
  fc.constant(DLQ),
  fc.constant(HASH),
  fc.constant(`${data}missing`),
  text.map((s) => `${data}${s}`),
);
const groupParam = fc.oneof(fc.constantFrom("g", "other", "nope"), text);
const QUERY_NAMES = [
  "trail",
  "actor",
  "action",
  "stream",
  "result",
  "type",
  "key",
  "state",
  "start",
  "end",
  "cursor",
  "count",
  "order",
  "match",
  "consumer",
  "minIdleMs",
  "minDeliveries",
  "minId",
  "maxId",
  "id",
  "range",
  "limit",
  "from",
  "to",
  "q",
  "field",
  "scanLimit",
  "format",
];
const idQuery = fc.record(
  { start: streamId, end: streamId, cursor: streamId, minId: streamId, maxId: streamId, id: streamId },
  { requiredKeys: [] },
);
// One id parameter alone too: routes with strict query schemas refuse any unknown name first.
const oneId = fc
  .tuple(fc.constantFrom("start", "end", "cursor", "minId", "maxId", "id"), streamId)
  .map(([name, id]) => ({ [name]: id }));
const query = fc.oneof(
  oneId,
  fc
    .tuple(
      idQuery,
      fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })), value, { maxKeys: 4 }),
    )
    .map(([ids, rest]) => ({ ...rest, ...ids })),
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53, 2 ** 64, -1, 0, 1e308), bigDigits);
const filter = fc.record(
  { consumer: text, minIdleMs: number, minDeliveries: number, minId: streamId, maxId: streamId },
  { requiredKeys: [] },
);
const bodyRecord = fc.record(
  {
    ids: fc.array(streamId, { maxLength: 12 }),
    filter,
    dryRun: fc.boolean(),
    allGroups: fc.boolean(),
    consumer: text,
    minIdleMs: number,
    target: keyParam,
    fields: fc.oneof(fc.array(fc.tuple(text, text), { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })),
    name: text,
    startId: streamId,
    id: streamId,
    entriesRead: number,
    mkstream: fc.boolean(),
    forMs: number,
    reason: text,
    username: text,
    password: text,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  bodyRecord.map((b) => ({ body: b as unknown })),
  fc.jsonValue({ maxDepth: 3 }).map((b) => ({ body: b as unknown })),
  fc.string({ maxLength: 120 }).map((raw) => ({ rawBody: raw })),
);

const savedMatch = process.env.WORKER_MATCH;

beforeAll(async () => {
  useAppPrefix(`${prefix}app:`);
  process.env.WORKER_MATCH = `${data}*`;
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
  await closeRedis();
  await cleanPrefix(redis, prefix);
  if (savedMatch === undefined) delete process.env.WORKER_MATCH;
  else process.env.WORKER_MATCH = savedMatch;
  resetProcessState();
});

describe("fuzzing every route", () => {
  it("found the routes", () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it("an audit cursor at 0-0 answers an empty page, not a Redis error", async () => {
    const res = await callRoute<{ entries: unknown[]; next: string | null }>(
      auditGET as Parameters<typeof callRoute>[0],
      "/api/audit",
      { query: { cursor: "0-0" }, headers: admin },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ entries: [], next: null });
  });

  it("an audit cursor above 64 bits is a 400", async () => {
    const res = await callRoute<{ error: { code: string } }>(
      auditGET as Parameters<typeof callRoute>[0],
      "/api/audit",
      {
        query: { cursor: "18446744073709551616-0" },
        headers: admin,
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BAD_REQUEST");
  });

  for (const route of routes) {
    const unsafe = !["GET", "HEAD"].includes(route.method);
    it(`${route.id}: no 5xx, no change after a rejected request`, async () => {
      await fc.assert(
        fc.asyncProperty(
          keyParam,
          groupParam,
          text,
          streamId,
          query,
          body,
          callers,
          async (key, group, consumer, anyId, q, b, [who, headers]) => {
            const { path, params } = fillPattern(route.pattern, { key, group, consumer, id: anyId });
            const target =
              "body" in b && typeof b.body === "object" && b.body !== null
                ? (b.body as { target?: unknown }).target
                : undefined;
            const outside = [params.key, target].filter(
              (k): k is string => typeof k === "string" && !k.startsWith(data),
            );
            const before = await digest();
            const existedBefore = outside.length ? await redis.exists(...outside) : 0;
            requests++;
            const res = await callRoute(route.handler, path, {
              method: route.method,
              params,
              query: q,
              ...(unsafe ? b : {}),
              headers,
            });
            const label = `${who} ${route.id} ${JSON.stringify({ params, q, b }).slice(0, 400)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
            expect(res.status, label).toBeLessThan(500);
            if (res.status >= 400) {
              expect(await digest(), `data changed after a rejected request: ${label}`).toBe(before);
              if (outside.length) expect(await redis.exists(...outside), label).toBe(existedBefore);
            } else if ((await digest()) !== before) {
              await seed();
            }
          },
        ),
        { numRuns: RUNS },
      );
    }, 180_000);
  }

  it("sent a few thousand requests in all", () => {
    expect(requests).toBe(routes.length * RUNS);
  });
});
