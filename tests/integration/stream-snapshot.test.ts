import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStreams, snapshotStreams } from "@/lib/streams/snapshot";
import { describeStreams } from "@/lib/streams/rows";
import { groupsOfStreams } from "@/lib/worker/stream-slice";
import { countUnprocessed } from "@/lib/streams/unprocessed";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("snap");
const user = `snap_${prefix.split(":")[2]}`;
let noXinfo: Redis;

beforeAll(async () => {
  // A user that may do everything but XINFO: its refusals are neither "gone" nor "wrong type".
  await redis.call("ACL", "SETUSER", user, "on", ">pw-123", "~*", "&*", "+@all", "-xinfo");
  const url = new URL(process.env.REDIS_URL!);
  noXinfo = new Redis({
    host: url.hostname,
    port: Number(url.port),
    username: user,
    password: "pw-123",
    maxRetriesPerRequest: 1,
  });
});

afterAll(async () => {
  noXinfo.disconnect();
  await redis.call("ACL", "DELUSER", user);
  await cleanPrefix(redis, prefix);
});

describe("the many-stream snapshot's error policy", () => {
  it("reports a key gone or of another type per key, and reads the others", async () => {
    const key = `${prefix}s`;
    await redis.xadd(key, "1-1", "a", "1");
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.set(`${prefix}string`, "x");

    const reads = await readStreams(redis, [`${prefix}gone`, key, `${prefix}string`], {
      info: true,
      groups: true,
      ttl: true,
    });
    expect(reads.map((r) => [r.key, r.state])).toEqual([
      [`${prefix}gone`, "gone"],
      [key, "stream"],
      [`${prefix}string`, "wrong-type"],
    ]);
    // MEMORY USAGE comes along with XINFO STREAM, whose rounds it sizes (lib/streams/stream-info.ts).
    expect(reads[1]).toMatchObject({ info: { length: 1 }, groups: [{ name: "g", lag: 1 }], pttl: -1 });
    expect(reads[1]!.memory).toBeGreaterThan(0);

    const snapshots = await snapshotStreams(redis, [`${prefix}gone`, key, `${prefix}string`], {
      groupRules: [],
      now: Date.now(),
    });
    expect(snapshots.map((s) => s.key)).toEqual([key]);
  });

  it("reads the row without its memory when MEMORY USAGE is refused, and says so", async () => {
    const key = `${prefix}nomem`;
    await redis.xadd(key, "1-1", "a", "1");
    const noMemoryUser = `${user}_nomem`;
    await redis.call("ACL", "SETUSER", noMemoryUser, "on", ">pw-123", "~*", "&*", "+@all", "-memory");
    const url = new URL(process.env.REDIS_URL!);
    const noMemory = new Redis({
      host: url.hostname,
      port: Number(url.port),
      username: noMemoryUser,
      password: "pw-123",
      maxRetriesPerRequest: 1,
    });
    try {
      const [row] = await describeStreams(noMemory, [key], { groups: [] });
      expect(row).toMatchObject({ key, length: 1, memoryBytes: null, memoryUnknown: "refused" });
      const [allowed] = await describeStreams(redis, [key], { groups: [] });
      expect(allowed!.memoryBytes).toBeGreaterThan(0);
      expect(allowed).not.toHaveProperty("memoryUnknown");
    } finally {
      noMemory.disconnect();
      await redis.call("ACL", "DELUSER", noMemoryUser);
    }
  });

  it("throws any other error for the whole batch instead of dropping the streams", async () => {
    const key = `${prefix}refused`;
    await redis.xadd(key, "1-1", "a", "1");
    await redis.xgroup("CREATE", key, "g", "0");

    await expect(snapshotStreams(noXinfo, [key], { groupRules: [], now: Date.now() })).rejects.toThrow(/NOPERM/);
    await expect(groupsOfStreams(noXinfo, [key])).rejects.toThrow(/NOPERM/);
    await expect(countUnprocessed(noXinfo, key)).rejects.toThrow(/NOPERM/);
  });
});
