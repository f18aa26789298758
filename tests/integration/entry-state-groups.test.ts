/**
 * A stream with more consumer groups than a page shows states for: the busiest STATE_GROUPS_MAX by
 * pending messages, a chosen one on request, the count of the others, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEntries } from "@/app/api/streams/[key]/entries/route";
import { GET as getSearch } from "@/app/api/streams/[key]/search/route";
import { STATE_GROUPS_MAX, type EntriesResponse, type SearchResponse } from "@/lib/contract/entries";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("stategroups");
const key = `${prefix}many-groups`;
const GROUPS = 25;
const name = (i: number) => `g${String(i).padStart(2, "0")}`;
type ErrorRes = { error: { code: string; message: string } };

const entries = (query: Record<string, string | number> = {}) =>
  callRoute<EntriesResponse & ErrorRes>(getEntries as never, "/x", { params: { key }, query });

beforeAll(async () => {
  for (let i = 1; i <= 5; i++) await redis.xadd(key, `${i}-0`, "n", String(i));
  for (let i = 0; i < GROUPS; i++) await redis.xgroup("CREATE", key, name(i), "0");
  // The busy ones: g20..g24 hold pending messages (g24 the most).
  for (let i = 20; i < GROUPS; i++) await redis.xreadgroup("GROUP", name(i), "c", "COUNT", i - 19, "STREAMS", key, ">");
});

afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

describe("entries of a stream with more groups than a page shows", () => {
  it("shows the states of the busiest groups and says how many there are", async () => {
    const { status, body } = await entries();
    expect(status).toBe(200);
    expect(body.stateGroups?.total).toBe(GROUPS);
    expect(body.stateGroups?.shown).toHaveLength(STATE_GROUPS_MAX);
    expect(body.stateGroups?.shown).toEqual(expect.arrayContaining(["g20", "g21", "g22", "g23", "g24"]));
    for (const e of body.entries) expect(Object.keys(e.states).sort()).toEqual([...body.stateGroups!.shown].sort());
    expect(body.entries.find((e) => e.id === "5-0")?.states.g24).toMatchObject({ state: "pending", consumer: "c" });
  });

  it("shows the groups asked for, leaving out names the stream lacks", async () => {
    const { status, body } = await entries({ groups: "g03,nope" });
    expect(status).toBe(200);
    expect(body.stateGroups).toEqual({ shown: ["g03"], total: GROUPS });
    expect(body.entries.every((e) => Object.keys(e.states).join() === "g03")).toBe(true);
    const search = await callRoute<SearchResponse>(getSearch as never, "/x", {
      params: { key },
      query: { q: "3", groups: "g24" },
    });
    expect(search.body.stateGroups).toEqual({ shown: ["g24"], total: GROUPS });
    expect(search.body.entries.map((e) => e.states.g24?.state)).toEqual(["pending"]);
  });

  it("refuses more names than a page shows", async () => {
    const many = Array.from({ length: STATE_GROUPS_MAX + 1 }, (_, i) => name(i)).join(",");
    const { status, body } = await entries({ groups: many });
    expect(status).toBe(400);
    expect(body.error.code).toBe("BAD_REQUEST");
  });

  it("a stream with few groups answers as before, without stateGroups", async () => {
    const small = `${prefix}few`;
    await redis.xadd(small, "1-0", "n", "1");
    await redis.xgroup("CREATE", small, "only", "0");
    const { body } = await callRoute<EntriesResponse>(getEntries as never, "/x", { params: { key: small } });
    expect(body.stateGroups).toBeUndefined();
    expect(Object.keys(body.entries[0]!.states)).toEqual(["only"]);
  });
});
