/**
 * The overview's tiles past the stream cap: each call reads the next `streamCap` streams of the
 * index in turn, and the tiles sum every stream as last read, until every one has been read
 * (`complete`); what changed shows once its turn comes, a stream found gone leaves the sums, and a
 * caller limited to some streams sums only those.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSettings } from "@/lib/config/settings";
import { getRedis } from "@/lib/redis/client";
import { summarizeOverview } from "@/lib/streams/summary";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("rolling");
const STREAMS = 25;
const keys = Array.from({ length: STREAMS }, (_, i) => `${prefix}s${String(i).padStart(2, "0")}`);
/** Stream i holds i % 3 pending messages, each idle a minute (stuck under the default 30 s). */
const pendingOf = (i: number) => i % 3;
const total = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => pendingOf(from + k)).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  const old = Date.now() - 120_000;
  for (const [i, key] of keys.entries()) {
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) ids.push((await redis.xadd(key, `${old + n}-0`, "n", String(n)))!);
    await redis.xgroup("CREATE", key, "g", "0");
    if (pendingOf(i) === 0) continue;
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", pendingOf(i), "STREAMS", key, ">");
    await redis.xclaim(key, "g", "c", 0, ...ids.slice(0, pendingOf(i)), "IDLE", 60_000, "JUSTID");
  }
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
});

async function tiles(opts: { visible?: (key: string) => boolean; known?: string[] } = {}) {
  return summarizeOverview(getRedis(), await getSettings(getRedis()), {
    match: `${prefix}*`,
    streamCap: 10,
    known: { keys: opts.known ?? keys, complete: true },
    ...(opts.visible ? { visible: opts.visible } : {}),
  });
}

describe("the overview's tiles past the stream cap", () => {
  it("read 10 streams a call in turn, and sum all 25 once each has been read", async () => {
    const first = await tiles();
    expect(first).toMatchObject({ streams: 10, totalPending: total(0, 10), complete: false, rolling: { read: 10 } });
    const second = await tiles();
    expect(second).toMatchObject({ streams: 20, totalPending: total(0, 20), complete: false, rolling: { read: 20 } });
    const third = await tiles();
    expect(third).toMatchObject({
      streams: STREAMS,
      totalPending: total(0, STREAMS),
      stuck: total(0, STREAMS),
      stuckCapped: false,
      complete: true,
      rolling: { read: STREAMS },
    });
    expect(third.oldestPendingMs).toBeGreaterThanOrEqual(119_000);
    expect(third.rolling!.since).toBeLessThanOrEqual(Date.now());
  });

  it("shows what changed once its turn comes, and forgets a stream found gone", async () => {
    // The last call ended after keys[24] and read keys[0..4]: the next turn is keys[5..14].
    await redis.xack(
      keys[7]!,
      "g",
      ...(await redis.xpending(keys[7]!, "g", "-", "+", 10)).map((r) => (r as string[])[0]!),
    );
    await redis.del(keys[8]!);
    const after = await tiles();
    expect(after.totalPending).toBe(total(0, STREAMS) - pendingOf(7) - pendingOf(8));
    // The index still lists the gone key here: not every listed stream has a reading.
    expect(after).toMatchObject({ streams: STREAMS - 1, complete: false });
    const withoutGone = await tiles({ known: keys.filter((k) => k !== keys[8]) });
    expect(withoutGone).toMatchObject({ streams: STREAMS - 1, complete: true });
  });

  it("sums only the streams a limited caller may see", async () => {
    const mine = new Set(keys.slice(0, 12));
    const seen = await tiles({ visible: (k) => mine.has(k) });
    // Its readings are the ones taken for everyone (a stream reads the same whoever asks).
    expect(seen).toMatchObject({ streams: 11, totalPending: total(0, 12) - pendingOf(7) - pendingOf(8) });
  });
});
