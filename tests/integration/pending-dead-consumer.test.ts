import { describe, expect, it } from "vitest";
import { GET as groupGET } from "@/app/api/streams/[key]/groups/[group]/route";
import { deadLetterPending } from "@/lib/actions/pending-actions";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import { getGroupDetail, toConsumerRow } from "@/lib/pending/group";
import { readIdleHistogram } from "@/lib/pending/idle-histogram";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { tokenCallers } from "../helpers/token-caller";
import { deliver, seedPending, sleep } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("pdead");
const { call } = tokenCallers({
  redis,
  prefix,
  config: { groups: [{ stream: `${prefix}*`, group: "*", stuckAfterMs: 400, deadLetter: "<stream>:parked" }] },
});

describe("dead consumers and the group rule", () => {
  it("flags a consumer with pending messages inactive longer than the group's stuckAfterMs", async () => {
    const s = `${prefix}orders`;
    await seedPending(redis, s, { n: 3, deliver: 2, consumer: "crashed" });
    await redis.xgroup("CREATECONSUMER", s, "g", "idle-empty");
    await sleep(600);
    await deliver(redis, s, "g", "healthy", 1);
    const detail = await getGroupDetail(redis, s, "g");
    expect(detail.stuckAfterMs).toBe(400);
    expect(detail.deadLetterTarget).toBe(`${s}:parked`);
    const dead = Object.fromEntries(detail.consumers.map((c) => [c.name, c.dead]));
    expect(dead).toEqual({ crashed: true, "idle-empty": false, healthy: false });

    const res = await call<GroupDetailResponse>(groupGET, { key: s, group: "g" }, null);
    expect(res.status).toBe(200);
    expect(res.body.consumers.find((c) => c.name === "crashed")?.dead).toBe(true);
    expect((await readIdleHistogram(redis, s, "g")).stuckAfterMs).toBe(400);
  });

  it("uses the rule's dead-letter target by default", async () => {
    const s = `${prefix}payments`;
    const ids = await seedPending(redis, s, { n: 1 });
    const res = await deadLetterPending(redis, s, "g", { ids });
    expect(res).toMatchObject({ moved: 1, target: `${s}:parked` });
  });
});

describe("toConsumerRow", () => {
  it("reads inactive on 7.2+ and idle on 7.0; never-active counts as inactive forever", () => {
    expect(toConsumerRow({ name: "a", pending: 1, idleMs: 10, inactiveMs: 500 }, 100)).toEqual({
      name: "a",
      pending: 1,
      idleMs: 10,
      inactiveMs: 500,
      dead: true,
    });
    expect(toConsumerRow({ name: "a", pending: 1, idleMs: 500, inactiveMs: 10 }, 100).dead).toBe(false);
    expect(toConsumerRow({ name: "a", pending: 1, idleMs: 500, inactiveMs: null }, 100)).toMatchObject({
      inactiveMs: 500,
      dead: true,
    });
    expect(toConsumerRow({ name: "a", pending: 2, idleMs: 5, inactiveMs: -1 }, 100)).toMatchObject({
      inactiveMs: null,
      dead: true,
    });
    expect(toConsumerRow({ name: "a", pending: 0, idleMs: 5000, inactiveMs: 5000 }, 100).dead).toBe(false);
  });
});
