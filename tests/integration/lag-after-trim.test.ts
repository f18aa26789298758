import { getSettings } from "@/lib/config/settings";
import { afterAll, describe, expect, it } from "vitest";
import { snapshotStreams } from "@/lib/streams/snapshot";
import { getGroupDetail } from "@/lib/pending/group";
import { describeStream } from "@/lib/streams/rows";
import { countUnprocessed } from "@/lib/streams/unprocessed";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("lagtrim");
afterAll(() => cleanPrefix(redis, prefix));

/** The lag every reader of the app reports for the stream's only group "g". */
async function lags(key: string) {
  const [snapshot] = await snapshotStreams(redis, [key], { groupRules: [], now: Date.now() });
  return {
    detail: (await describeStream(redis, key, await getSettings(redis))).groups[0]!.lag,
    group: (await getGroupDetail(redis, key, "g")).lag,
    snapshot: snapshot!.groups[0]!.lag,
    waiting: (await countUnprocessed(redis, key)).waiting,
  };
}

const all = (n: number) => ({ detail: n, group: n, snapshot: n, waiting: n });

describe("group lag after the stream is trimmed, on whatever server runs the tests", () => {
  it("counts only entries still in the stream, and 0 once the group has read to the end", async () => {
    const key = `${prefix}s`;
    for (let i = 1; i <= 5; i++) await redis.xadd(key, `${i}-0`, "n", String(i));
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    expect(await lags(key)).toEqual(all(4));

    // 2-0..4-0 trimmed before the group read them: only 5-0 is left to read (Redis < 7.2.7 / 7.4.2 says 4).
    await redis.xtrim(key, "MAXLEN", 1);
    expect(await lags(key)).toEqual(all(1));

    // The group reads 5-0, the stream's last id: nothing left (Redis up to the 8.0 preview says 3).
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    expect(await lags(key)).toEqual(all(0));

    // Two new entries: Redis (every server tested here) says 5, more than the stream's 3 entries, so the
    // lag is shown unknown rather than wrong; the worker's count of what is at risk reads the entries.
    await redis.xadd(key, "6-0", "n", "6");
    await redis.xadd(key, "7-0", "n", "7");
    const after = await lags(key);
    for (const lag of [after.detail, after.group, after.snapshot]) expect([2, null]).toContain(lag);
    expect(after.waiting).toBe(2);
  });
});
