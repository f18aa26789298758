import { getSettings } from "@/lib/config/settings";
import { afterAll, describe, expect, it } from "vitest";
import { GET as getStream } from "@/app/api/streams/[key]/route";
import type { StreamDetail } from "@/lib/contract/streams";
import { AppError } from "@/lib/errors";
import { getRedis } from "@/lib/redis/client";
import { describeStream, describeStreams } from "@/lib/streams/rows";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { callRoute } from "../helpers/route";

const redis = testRedis();
const prefix = uniquePrefix("rows");
afterAll(() => cleanPrefix(redis, prefix));

describe("describeStreams / describeStream", () => {
  it("builds a row: lengths, ids, groups, pending, lag, oldest pending, TTL, memory", async () => {
    const key = `${prefix}full`;
    const t0 = Date.now() - 60_000;
    await redis.xadd(key, `${t0}-0`, "a", "1");
    await redis.xadd(key, `${t0 + 1000}-0`, "a", "2");
    await redis.xadd(key, `${t0 + 2000}-0`, "a", "3");
    await redis.xgroup("CREATE", key, "g1", "0");
    await redis.xgroup("CREATE", key, "g2", "0");
    await redis.xreadgroup("GROUP", "g1", "c1", "COUNT", 2, "STREAMS", key, ">");
    await redis.xreadgroup("GROUP", "g2", "c1", "COUNT", 1, "STREAMS", key, ">");
    await redis.pexpire(key, 600_000);

    const [row] = await describeStreams(getRedis(), [key], await getSettings(getRedis()));
    expect(row).toMatchObject({
      key,
      length: 3,
      firstEntryId: `${t0}-0`,
      lastEntryId: `${t0 + 2000}-0`,
      groupCount: 2,
      pending: 3,
      lag: 2,
      lagUnknown: false,
      lastEntryTime: t0 + 2000,
    });
    expect(row!.oldestPendingMs).toBeGreaterThanOrEqual(59_000);
    expect(row!.oldestPendingMs).toBeLessThan(120_000);
    expect(row!.ttlMs).toBeGreaterThan(500_000);
    expect(row!.ttlMs).toBeLessThanOrEqual(600_000);
    expect(row!.memoryBytes).toBeGreaterThan(0);
    // A minute old by id, but just read: nothing is stuck.
    expect(row).toMatchObject({ stuck: 0, stuckCapped: false });

    // Idle past the group's threshold (default 30 s): stuck, by the same rule as the tile.
    await redis.call("XCLAIM", key, "g1", "c1", "0", `${t0}-0`, "IDLE", "45000", "JUSTID");
    const [after] = await describeStreams(getRedis(), [key], await getSettings(getRedis()));
    expect(after).toMatchObject({ stuck: 1, stuckCapped: false });
  });

  it("an empty stream created with MKSTREAM has length 0 and is not missing", async () => {
    const key = `${prefix}mk`;
    await redis.xgroup("CREATE", key, "g", "$", "MKSTREAM");
    const detail = await describeStream(getRedis(), key, await getSettings(getRedis()));
    expect(detail).toMatchObject({
      length: 0,
      firstEntryId: null,
      lastEntryId: null,
      lastEntryTime: null,
      groupCount: 1,
      pending: 0,
    });
    expect(detail.oldestPendingMs).toBeNull();
    expect(detail.ttlMs).toBeNull();
  });

  it("a stream emptied by XDEL has length 0 and keeps its last-generated and max-deleted ids", async () => {
    const key = `${prefix}emptied`;
    await redis.xadd(key, "5-0", "a", "1");
    await redis.xdel(key, "5-0");
    const detail = await describeStream(getRedis(), key, await getSettings(getRedis()));
    expect(detail).toMatchObject({
      length: 0,
      lastGeneratedId: "5-0",
      maxDeletedEntryId: "5-0",
      entriesAdded: 1,
      groups: [],
    });
  });

  it("a stream without groups: pending 0, lag null, lagUnknown false", async () => {
    const key = `${prefix}nogroups`;
    await redis.xadd(key, "*", "a", "1");
    const [row] = await describeStreams(getRedis(), [key], await getSettings(getRedis()));
    expect(row).toMatchObject({ groupCount: 0, pending: 0, lag: null, lagUnknown: false, oldestPendingMs: null });
  });

  it("a group at 0-0 has lag = length", async () => {
    const key = `${prefix}zero`;
    for (let i = 1; i <= 4; i++) await redis.xadd(key, `${i}-0`, "a", String(i));
    await redis.xgroup("CREATE", key, "g", "0");
    const detail = await describeStream(getRedis(), key, await getSettings(getRedis()));
    expect(detail.groups).toEqual([
      { name: "g", consumerCount: 0, pending: 0, lastDeliveredId: "0-0", entriesRead: null, lag: 4 },
    ]);
    expect(detail).toMatchObject({ lag: 4, lagUnknown: false });
  });

  it("a group created in the middle has a lag Redis cannot compute: lag from the other group, lagUnknown", async () => {
    const key = `${prefix}mid`;
    for (let i = 1; i <= 3; i++) await redis.xadd(key, `${i}-0`, "a", String(i));
    await redis.xgroup("CREATE", key, "mid", "2-0");
    await redis.xgroup("CREATE", key, "zero", "0");
    const detail = await describeStream(getRedis(), key, await getSettings(getRedis()));
    expect(detail.groups.find((g) => g.name === "mid")!.lag).toBeNull();
    expect(detail).toMatchObject({ lag: 3, lagUnknown: true });
  });

  it("an XDEL tombstone after last-delivered-id makes the lag unknown", async () => {
    const key = `${prefix}tomb`;
    await redis.xadd(key, "1-0", "a", "1");
    await redis.xadd(key, "2-0", "a", "2");
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    await redis.xdel(key, "2-0");
    const [row] = await describeStreams(getRedis(), [key], await getSettings(getRedis()));
    expect(row).toMatchObject({ lag: null, lagUnknown: true, pending: 1 });
  });

  it("drops keys that vanished or are not streams from a list", async () => {
    const key = `${prefix}kept`;
    await redis.xadd(key, "*", "a", "1");
    await redis.set(`${prefix}string`, "x");
    const rows = await describeStreams(
      getRedis(),
      [`${prefix}gone`, key, `${prefix}string`],
      await getSettings(getRedis()),
    );
    expect(rows.map((r) => r.key)).toEqual([key]);
  });

  it("throws 404 for a missing key and 409 for a key of another type", async () => {
    await expect(describeStream(getRedis(), `${prefix}missing`, await getSettings(getRedis()))).rejects.toMatchObject({
      code: "NOT_FOUND",
      status: 404,
    });
    await redis.set(`${prefix}str`, "x");
    const err = await describeStream(getRedis(), `${prefix}str`, await getSettings(getRedis())).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "WRONG_TYPE", status: 409 });
  });
});

describe("GET /api/streams/{key}", () => {
  it("answers the detail shape", async () => {
    const key = `${prefix}route`;
    await redis.xadd(key, "1-0", "a", "1");
    await redis.xgroup("CREATE", key, "g", "0");
    const res = await callRoute<StreamDetail>(getStream as never, `/api/streams/${encodeURIComponent(key)}`, {
      params: { key },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      key,
      length: 1,
      lastGeneratedId: "1-0",
      entriesAdded: 1,
      maxDeletedEntryId: "0-0",
      recordedFirstEntryId: "1-0",
      groups: [{ name: "g", consumerCount: 0, pending: 0, lastDeliveredId: "0-0", lag: 1 }],
    });
  });

  it("404 for a missing key, 409 for another type, with the error shape", async () => {
    const missing = await callRoute<{ error: { code: string } }>(getStream as never, "/api/streams/x", {
      params: { key: `${prefix}nope` },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
    await redis.hset(`${prefix}hash`, "f", "v");
    const wrong = await callRoute<{ error: { code: string } }>(getStream as never, "/api/streams/x", {
      params: { key: `${prefix}hash` },
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe("WRONG_TYPE");
  });

  it("round-trips keys with /, %, ?, #, spaces, braces and unicode", async () => {
    const odd = `${prefix}a/b%20c?d#e f{tag}ü✓`;
    await redis.xadd(odd, "*", "a", "1");
    const res = await callRoute<StreamDetail>(getStream as never, `/api/streams/${encodeURIComponent(odd)}`, {
      params: { key: odd },
    });
    expect(res.status).toBe(200);
    expect(res.body.key).toBe(odd);
  });
});
