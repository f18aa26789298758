import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PTTL_BATCH_KEYS, readPttls } from "@/lib/redis/keyspace";
import { describeStreams } from "@/lib/streams/rows";
import { startRedisServer, type PrivateRedis } from "../../scripts/lib/redis-server";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { recordSentCommands } from "../helpers/sent-commands";

/** A connected client and the commands it sends from now on. */
async function recorded(redis: Redis): Promise<{ redis: Redis; sent: string[][] }> {
  await redis.ping();
  return { redis, sent: recordSentCommands(redis).all };
}

const admin = testRedis();
const prefix = uniquePrefix("pttl");
const user = `pttl_${prefix.split(":")[2]}`;

function connect(opts: { port?: number; username?: string } = {}): Redis {
  const url = new URL(process.env.REDIS_URL!);
  return new Redis({
    host: url.hostname,
    port: opts.port ?? Number(url.port),
    ...(opts.username ? { username: opts.username, password: "pw-123" } : {}),
    maxRetriesPerRequest: 1,
  });
}

/** 1,200 keys: every third without expiry, every third with one, every third missing. */
async function seedKeys(): Promise<{ keys: string[]; expected: (k: string) => "none" | "expiring" | "gone" }> {
  const keys = Array.from({ length: 1200 }, (_, i) => `${prefix}k${i}`);
  const kind = (k: string) => (["none", "expiring", "gone"] as const)[Number(k.slice(prefix.length + 1)) % 3]!;
  const pipe = admin.pipeline();
  for (const k of keys) {
    if (kind(k) === "gone") continue;
    pipe.xadd(k, "*", "f", "v");
    if (kind(k) === "expiring") pipe.pexpire(k, 600_000);
  }
  await pipe.exec();
  return { keys, expected: kind };
}

function checkValues(keys: string[], replies: [Error | null, unknown][], expected: (k: string) => string): void {
  expect(replies).toHaveLength(keys.length);
  keys.forEach((k, i) => {
    const [err, value] = replies[i]!;
    expect(err).toBeNull();
    const want = expected(k);
    if (want === "none") expect(value).toBe(-1);
    else if (want === "gone") expect(value).toBe(-2);
    else {
      expect(value).toBeGreaterThan(590_000);
      expect(value).toBeLessThanOrEqual(600_000);
    }
  });
}

let seeded: Awaited<ReturnType<typeof seedKeys>>;
beforeAll(async () => {
  seeded = await seedKeys();
  // Every command but the scripts: this user's PTTLs must come one by one.
  await admin.call("ACL", "SETUSER", user, "on", ">pw-123", "resetkeys", "~*", "+@all", "-evalsha_ro", "-evalsha");
});

afterAll(async () => {
  await admin.call("ACL", "DELUSER", user);
  await cleanPrefix(admin, prefix);
  admin.disconnect();
});

describe("readPttls: each key's PTTL in read-only script calls on a single server", () => {
  it("answers -1, -2 or the time left for 1,200 keys in 3 EVALSHA_RO calls of at most 500 keys, and no PTTL", async () => {
    const { redis, sent } = await recorded(connect());
    try {
      await readPttls(redis, seeded.keys.slice(0, 1)); // the script loaded
      sent.length = 0;
      const replies = await readPttls(redis, seeded.keys);
      checkValues(seeded.keys, replies, seeded.expected);
      expect(sent.filter((c) => c[0] === "pttl")).toEqual([]);
      const calls = sent.filter((c) => c[0] === "evalsha_ro");
      expect(calls).toHaveLength(Math.ceil(1200 / PTTL_BATCH_KEYS));
      expect(calls.map((c) => Number(c[2]))).toEqual([500, 500, 200]);
    } finally {
      redis.disconnect();
    }
  });

  it("falls back to one PTTL per key where the ACL refuses the script, with the same answers, and asks again 10 minutes later", async () => {
    const { redis, sent } = await recorded(connect({ username: user }));
    const scripts = () => sent.filter((c) => c[0] === "evalsha_ro").length;
    try {
      checkValues(seeded.keys, await readPttls(redis, seeded.keys), seeded.expected);
      expect(sent.filter((c) => c[0] === "pttl")).toHaveLength(1200);
      const tried = scripts();
      expect(tried).toBeGreaterThan(0);
      checkValues(seeded.keys, await readPttls(redis, seeded.keys), seeded.expected);
      expect(scripts()).toBe(tried);
      expect(sent.filter((c) => c[0] === "pttl")).toHaveLength(2400);
      // An ACL may change without a restart: the script is tried again after a while.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 11 * 60_000);
      checkValues(seeded.keys, await readPttls(redis, seeded.keys), seeded.expected);
      expect(scripts()).toBeGreaterThan(tried);
    } finally {
      vi.useRealTimers();
      redis.disconnect();
    }
  });

  it("gives the stream list its TTLs through the script", async () => {
    const { redis, sent } = await recorded(connect());
    try {
      await readPttls(redis, seeded.keys.slice(0, 1)); // the script loaded
      sent.length = 0;
      const streams = seeded.keys.filter((k) => seeded.expected(k) !== "gone").slice(0, 10);
      const rows = await describeStreams(redis, streams, { groups: [] });
      expect(rows.map((r) => r.key)).toEqual(streams);
      for (const row of rows) {
        if (seeded.expected(row.key) === "none") expect(row.ttlMs).toBeNull();
        else expect(row.ttlMs).toBeGreaterThan(590_000);
      }
      expect(sent.filter((c) => c[0] === "pttl")).toEqual([]);
      expect(sent.filter((c) => c[0] === "evalsha_ro")).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  });
});

describe("readPttls on a read-only replica", () => {
  let master: PrivateRedis;
  let replica: PrivateRedis;
  beforeAll(async () => {
    master = await startRedisServer();
    replica = await startRedisServer({ extraArgs: ["--replicaof", "127.0.0.1", String(master.port)] });
  });
  afterAll(async () => {
    await replica.stop();
    await master.stop();
  });

  it("runs the script there (loaded on the replica itself) with the master's answers", async () => {
    const source = new Redis(master.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
    const redis = new Redis(replica.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
    try {
      const keys = Array.from({ length: 600 }, (_, i) => `r${i}`);
      const pipe = source.pipeline();
      keys.forEach((k, i) => (i % 2 === 0 ? pipe.set(k, "v") : pipe.set(k, "v", "PX", 600_000)));
      await pipe.exec();
      for (let i = 0; (await redis.exists(keys.at(-1)!)) === 0; i++) {
        if (i > 100) throw new Error("the replica did not sync in 10 s");
        await new Promise((r) => setTimeout(r, 100));
      }
      const { sent } = await recorded(redis);
      const replies = await readPttls(redis, keys);
      checkValues(keys, replies, (k) => (Number(k.slice(1)) % 2 === 0 ? "none" : "expiring"));
      expect(sent.filter((c) => c[0] === "pttl")).toEqual([]);
      expect(sent.filter((c) => c[0] === "script")).toHaveLength(1);
    } finally {
      source.disconnect();
      redis.disconnect();
    }
  });
});
