/**
 * Reading the kept stuck snapshot: every stream list page and the tiles read it, and it can hold
 * 20,000 groups, so the last one parsed is kept per connection and fetched again only when its
 * time (`at`, at the head of its text) changed. A new snapshot is read at once; one without that
 * head (written by an earlier version) is still read, whole, every time; a deleted one is gone.
 */
import type Redis from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import {
  keptGroupUnder,
  readStuckSnapshot,
  storeStuckSnapshot,
  stuckSnapshotKey,
  type StuckSnapshot,
} from "@/lib/streams/stuck-snapshot";
import { privateRedis } from "../helpers/redis";

const own = privateRedis();
let redis: Redis;

beforeAll(() => {
  redis = own.raw();
});

function snapshotOf(at: number, groups: number): StuckSnapshot {
  return {
    at,
    groups: Array.from({ length: groups }, (_, i) => ({
      stream: `s${i}`,
      group: "g",
      stuckAfterMs: 30_000,
      oldestId: `${at - 1000}-${i}`,
      stuck: i % 3,
      complete: true,
    })),
  };
}

async function getCalls(): Promise<number> {
  const info = await redis.info("commandstats");
  return Number(/cmdstat_get:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

describe("the stuck snapshot's reader", () => {
  it("parses a snapshot once per `at`: unchanged it answers the same object without fetching the text again", async () => {
    await storeStuckSnapshot(redis, snapshotOf(1_000_000, 2000));
    const first = await readStuckSnapshot(redis);
    expect(first?.groups).toHaveLength(2000);
    const gets = await getCalls();
    const [again, third] = await Promise.all([readStuckSnapshot(redis), readStuckSnapshot(redis)]);
    expect(again).toBe(first);
    expect(third).toBe(first);
    expect(await getCalls()).toBe(gets);

    await storeStuckSnapshot(redis, snapshotOf(1_002_000, 5));
    const [next, alongside] = await Promise.all([readStuckSnapshot(redis), readStuckSnapshot(redis)]);
    expect(next).not.toBe(first);
    expect(next).toMatchObject({ at: 1_002_000 });
    expect(next?.groups).toHaveLength(5);
    expect(alongside).toBe(next);
    expect(await getCalls()).toBe(gets + 1);
  });

  it("reads a snapshot without the head whole on every read, and none once it is deleted", async () => {
    const old = snapshotOf(2_000_000, 3);
    await redis.set(stuckSnapshotKey(), JSON.stringify({ groups: old.groups, at: old.at }));
    const a = await readStuckSnapshot(redis);
    const b = await readStuckSnapshot(redis);
    expect(a).toEqual(old);
    expect(b).toEqual(old);
    expect(b).not.toBe(a);

    await storeStuckSnapshot(redis, snapshotOf(2_001_000, 3));
    expect(await readStuckSnapshot(redis)).toMatchObject({ at: 2_001_000 });
    await redis.del(stuckSnapshotKey());
    expect(await readStuckSnapshot(redis)).toBeNull();
    await redis.set(stuckSnapshotKey(), "not json");
    expect(await readStuckSnapshot(redis)).toBeNull();
  });

  it("gives a group's kept state only under the threshold it was counted with", async () => {
    await storeStuckSnapshot(redis, snapshotOf(3_000_000, 4));
    const kept = await readStuckSnapshot(redis);
    expect(keptGroupUnder(kept, "s2", "g", 30_000)).toMatchObject({ stream: "s2", stuck: 2 });
    expect(keptGroupUnder(kept, "s2", "g", 60_000)).toBeUndefined();
    expect(keptGroupUnder(kept, "s9", "g", 30_000)).toBeUndefined();
    expect(keptGroupUnder(null, "s2", "g", 30_000)).toBeUndefined();
  });
});
