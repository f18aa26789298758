/**
 * The one translator from Redis errors to application errors (lib/redis/errors.ts): each reply
 * prefix of its table answers one code, status and message, for the route wrapper and for the
 * actions alike; real replies of a real server carry those prefixes.
 */
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/route";
import {
  errorText,
  REDIS_FAILING_OVER,
  REDIS_UNREACHABLE,
  REPLY_RULES,
  toAppError,
  translated,
} from "@/lib/redis/errors";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("rerr");

afterAll(async () => {
  await cleanPrefix(redis, prefix);
});

const ACL = "The dashboard's Redis user may not run this command (Redis ACL)";
const CREDENTIALS = "Redis refused the dashboard's credentials (check REDIS_URL)";

/** Reply -> [code, status, message]: one case per row of the table at least. */
const CASES: [reply: string, code: string, status: number, message: string][] = [
  ["NOTFOUND no stream named s", "NOT_FOUND", 404, "No stream named s"],
  ["NOGROUP No such key 's' or consumer group 'g'", "NOT_FOUND", 404, "No such key 's' or consumer group 'g'"],
  [
    "CONFLICT this Idempotency-Key was used for another message",
    "CONFLICT",
    409,
    "This Idempotency-Key was used for another message",
  ],
  ["REQUEUE_NEEDS_ALL_GROUPS stream s has 2 groups", "REQUEUE_NEEDS_ALL_GROUPS", 409, "Stream s has 2 groups"],
  ["BUSYGROUP Consumer Group name already exists", "CONFLICT", 409, "Consumer Group name already exists"],
  [
    "WRONGTYPE Operation against a key holding the wrong kind of value",
    "WRONG_TYPE",
    409,
    "Operation against a key holding the wrong kind of value",
  ],
  [
    "WRONGTYPE key s holds a hash, not a stream script: 0a1b, on @user_script:12.",
    "WRONG_TYPE",
    409,
    "Key s holds a hash, not a stream",
  ],
  ["NOPERM User u has no permissions to run the 'xack' command", "FORBIDDEN", 403, ACL],
  ["WRONGPASS invalid username-password pair or user is disabled.", "REDIS_UNAVAILABLE", 503, CREDENTIALS],
  ["NOAUTH Authentication required.", "REDIS_UNAVAILABLE", 503, CREDENTIALS],
  [
    "ERR Invalid stream ID specified as stream command argument",
    "BAD_REQUEST",
    400,
    "Invalid stream ID specified as stream command argument",
  ],
  [
    "ERR The ID specified in XADD is equal or smaller than the target stream top item",
    "BAD_REQUEST",
    400,
    "The ID specified in XADD is equal or smaller than the target stream top item",
  ],
];

describe("the reply table", () => {
  it.each(CASES)("%s -> %s %i", (reply, code, status, message) => {
    const err = toAppError(new Error(reply));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code, status, message });
  });

  it("has a case above for every row, and no row twice", () => {
    for (const rule of REPLY_RULES) {
      expect(
        CASES.some(([reply]) => rule.reply.test(reply)),
        String(rule.reply),
      ).toBe(true);
    }
    const first = CASES.map(([reply]) => REPLY_RULES.findIndex((r) => r.reply.test(reply)));
    expect(new Set(first).size).toBe(REPLY_RULES.length);
  });

  it("answers a lost connection with 503, and leaves other errors and AppErrors as they are", () => {
    expect(toAppError(new Error("connect ECONNREFUSED 127.0.0.1:1"))).toMatchObject({
      code: "REDIS_UNAVAILABLE",
      status: 503,
      message: REDIS_UNREACHABLE,
    });
    const other = new Error("ERR unknown command 'FOO'");
    expect(toAppError(other)).toBe(other);
    const app = new AppError("CONFLICT", "x");
    expect(toAppError(app)).toBe(app);
    expect(toAppError("text")).toBe("text");
  });

  it("answers a failover in progress with 503 (what the cluster and Sentinel clients give up with)", () => {
    for (const message of [
      "CLUSTERDOWN The cluster is down",
      "CLUSTERDOWN Hash slot not served",
      "TRYAGAIN Multiple keys request during rehashing of slot",
      "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
      "READONLY You can't write against a read only replica.",
      "Too many Cluster redirections. Last error: Error: Connection is closed.",
      "Too many Cluster redirections. Last error: MOVED 3999 127.0.0.1:6381",
      "Failed to refresh slots cache.",
    ]) {
      expect(toAppError(new Error(message)), message).toMatchObject({
        code: "REDIS_UNAVAILABLE",
        status: 503,
        message: REDIS_FAILING_OVER,
      });
    }
    expect(toAppError(new Error("All sentinels are unreachable and retry is disabled."))).toMatchObject({
      code: "REDIS_UNAVAILABLE",
      message: REDIS_UNREACHABLE,
    });
  });

  it("gives the worker's notes the translated words, and other errors their own", () => {
    expect(errorText(new Error("NOPERM User u has no permissions to run the 'xack' command"))).toBe(ACL);
    expect(errorText(new Error("ERR unknown command 'FOO'"))).toBe("ERR unknown command 'FOO'");
    expect(errorText("plain")).toBe("plain");
  });
});

describe("real replies", () => {
  it("carry the prefixes of the table", async () => {
    const s = `${prefix}s`;
    await redis.xadd(s, "5-0", "f", "v");
    await redis.set(`${prefix}str`, "x");
    await redis.xgroup("CREATE", s, "g", "0");
    const expectCode = (work: () => Promise<unknown>, code: string) =>
      expect(translated(work)).rejects.toMatchObject({ code });
    await expectCode(() => redis.xlen(`${prefix}str`), "WRONG_TYPE");
    await expectCode(() => redis.xpending(s, "nope", "-", "+", 10), "NOT_FOUND");
    await expectCode(() => redis.xgroup("CREATE", s, "g", "0"), "CONFLICT");
    await expectCode(() => redis.xadd(s, "1-0", "f", "v"), "BAD_REQUEST");
    await expectCode(() => redis.xrange(s, "x-y", "+"), "BAD_REQUEST");
    const other = redis.duplicate();
    try {
      await expectCode(() => other.call("AUTH", `${prefix}nobody`, "wrong"), "REDIS_UNAVAILABLE");
    } finally {
      other.disconnect();
    }
  });
});

describe("the route wrapper's answer", () => {
  it("is the translated error with its status, no-store, or a logged 500", async () => {
    for (const [reply, code, status, message] of CASES) {
      const res = errorResponse(new Error(reply));
      expect(res.status).toBe(status);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ error: { code, message } });
    }
    const res = errorResponse(new Error("ERR unknown command 'FOO'"));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "INTERNAL", message: "Internal error (logged on the server)" } });
  });
});
