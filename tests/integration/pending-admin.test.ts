import { afterAll, describe, expect, it } from "vitest";
import { POST as createPOST } from "@/app/api/streams/[key]/groups/route";
import { DELETE as groupDELETE } from "@/app/api/streams/[key]/groups/[group]/route";
import { POST as setidPOST } from "@/app/api/streams/[key]/groups/[group]/setid/route";
import { DELETE as consumerDELETE } from "@/app/api/streams/[key]/groups/[group]/consumers/[consumer]/route";
import { POST as publishPOST } from "@/app/api/streams/[key]/messages/route";
import { createGroup, deleteConsumer, deleteGroup, publishMessage, setGroupId } from "@/lib/actions/admin";
import type {
  DeleteConsumerResponse,
  DeleteGroupResponse,
  PublishResponse,
  SetIdResponse,
} from "@/lib/contract/pending";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { deliver, seedPending } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("padmin");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
const key = (name = "s") => `${prefix}${name}${++n}`;
type Handler = Parameters<typeof callRoute>[0];
type ErrorRes = { error: { code: string; message: string } };

async function groupInfo(stream: string, name: string) {
  const groups = (await redis.xinfo("GROUPS", stream)) as unknown[][];
  for (const g of groups) {
    const rec: Record<string, unknown> = {};
    for (let i = 0; i + 1 < g.length; i += 2) rec[String(g[i])] = g[i + 1];
    if (rec.name === name) return rec;
  }
  return null;
}

describe("group admin through the lib", () => {
  it("creates a group from the start, from now, or from an id; refuses a duplicate with 409", async () => {
    const s = key();
    await redis.xadd(s, "5-0", "a", "1");
    await redis.xadd(s, "7-0", "a", "2");
    await createGroup(redis, s, { name: "start", startId: "0" });
    await createGroup(redis, s, { name: "now", startId: "$" });
    await createGroup(redis, s, { name: "mid", startId: "5" });
    expect((await groupInfo(s, "start"))!["last-delivered-id"]).toBe("0-0");
    expect((await groupInfo(s, "now"))!["last-delivered-id"]).toBe("7-0");
    expect((await groupInfo(s, "mid"))!["last-delivered-id"]).toBe("5-0");
    await expect(createGroup(redis, s, { name: "now", startId: "0" })).rejects.toMatchObject({
      status: 409,
      code: "CONFLICT",
    });
  });

  it("needs mkstream to create a missing stream", async () => {
    const s = key();
    await expect(createGroup(redis, s, { name: "g", startId: "0" })).rejects.toMatchObject({ status: 404 });
    await createGroup(redis, s, { name: "g", startId: "0", mkstream: true });
    expect(await redis.type(s)).toBe("stream");
  });

  it("moves a group's position with SETID", async () => {
    const s = key();
    await seedPending(redis, s, { n: 3, deliver: 0 });
    expect(await setGroupId(redis, s, "g", { id: "$" })).toEqual({
      lastDeliveredId: (await redis.xrevrange(s, "+", "-", "COUNT", 1))[0]![0],
    });
    expect(await setGroupId(redis, s, "g", { id: "0", entriesRead: 0 })).toEqual({ lastDeliveredId: "0-0" });
    await expect(setGroupId(redis, s, "nope", { id: "0" })).rejects.toMatchObject({ status: 404 });
  });

  it("removes a consumer and says how many pending messages were dropped", async () => {
    const s = key();
    await seedPending(redis, s, { n: 5, deliver: 3, consumer: "w1" });
    await deliver(redis, s, "g", "w2", 2);
    expect(await deleteConsumer(redis, s, "g", "w1")).toEqual({ deleted: true, pendingDropped: 3 });
    await expect(deleteConsumer(redis, s, "g", "w1")).rejects.toMatchObject({ status: 404 });
    expect(Number((await groupInfo(s, "g"))!.pending)).toBe(2);
  });

  it("deletes a group, answering the pending count it dropped", async () => {
    const s = key();
    await seedPending(redis, s, { n: 4 });
    expect(await deleteGroup(redis, s, "g")).toEqual({ deleted: true, pendingDropped: 4 });
    expect(await groupInfo(s, "g")).toBeNull();
    await expect(deleteGroup(redis, s, "g")).rejects.toMatchObject({ status: 404 });
  });

  it("publishes binary-safe fields in order, repeats kept", async () => {
    const s = key();
    await redis.xadd(s, "*", "seed", "1");
    const { id } = await publishMessage(redis, s, {
      fields: [
        ["a", "1"],
        ["a", { base64: Buffer.from([0xff]).toString("base64") }],
      ],
    });
    const [[, flat]] = (await redis.xrangeBuffer(s, id, id)) as [[Buffer, Buffer[]]];
    expect(flat.map((b) => b.toString("hex"))).toEqual(["61", "31", "61", "ff"]);
    await expect(publishMessage(redis, key("missing"), { fields: [["a", "1"]] })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("group admin routes", () => {
  it("create (201), duplicate (409), bad start id (400), wrong type (409)", async () => {
    const s = key();
    await redis.xadd(s, "*", "a", "1");
    const created = await callRoute(createPOST as Handler, "/api/x", {
      params: { key: s },
      body: { name: "g", startId: "0" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ created: true, name: "g" });
    const dup = await callRoute<ErrorRes>(createPOST as Handler, "/api/x", {
      params: { key: s },
      body: { name: "g", startId: "0" },
    });
    expect(dup.status).toBe(409);
    const bad = await callRoute<ErrorRes>(createPOST as Handler, "/api/x", {
      params: { key: s },
      body: { name: "g2", startId: "next" },
    });
    expect(bad.status).toBe(400);
    const h = key("hash");
    await redis.hset(h, "a", "1");
    const wrong = await callRoute<ErrorRes>(createPOST as Handler, "/api/x", {
      params: { key: h },
      body: { name: "g", startId: "0", mkstream: true },
    });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe("WRONG_TYPE");
  });

  it("setid, delete consumer, delete group, publish", async () => {
    const s = key();
    await seedPending(redis, s, { n: 2, consumer: "w" });
    const setid = await callRoute<SetIdResponse>(setidPOST as Handler, "/api/x", {
      params: { key: s, group: "g" },
      body: { id: "0" },
    });
    expect(setid.body).toEqual({ lastDeliveredId: "0-0" });
    const badId = await callRoute(setidPOST as Handler, "/api/x", {
      params: { key: s, group: "g" },
      body: { id: "1-x" },
    });
    expect(badId.status).toBe(400);
    const dc = await callRoute<DeleteConsumerResponse>(consumerDELETE as Handler, "/api/x", {
      method: "DELETE",
      params: { key: s, group: "g", consumer: "w" },
    });
    expect(dc.body).toEqual({ deleted: true, pendingDropped: 2 });
    const pub = await callRoute<PublishResponse>(publishPOST as Handler, "/api/x", {
      params: { key: s },
      body: { fields: [["k", "v"]] },
    });
    expect(pub.status).toBe(201);
    expect(pub.body.id).toMatch(/^\d+-\d+$/);
    const dg = await callRoute<DeleteGroupResponse>(groupDELETE as Handler, "/api/x", {
      method: "DELETE",
      params: { key: s, group: "g" },
    });
    expect(dg.body).toEqual({ deleted: true, pendingDropped: 0 });
    const gone = await callRoute<ErrorRes>(groupDELETE as Handler, "/api/x", {
      method: "DELETE",
      params: { key: s, group: "g" },
    });
    expect(gone.status).toBe(404);
  });
});
