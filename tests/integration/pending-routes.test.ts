import { afterAll, describe, expect, it } from "vitest";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { POST as claimPOST } from "@/app/api/streams/[key]/groups/[group]/claim/route";
import { POST as requeuePOST } from "@/app/api/streams/[key]/groups/[group]/requeue/route";
import { POST as deadLetterPOST } from "@/app/api/streams/[key]/groups/[group]/dead-letter/route";
import { POST as deletePOST } from "@/app/api/streams/[key]/groups/[group]/delete/route";
import { GET as pendingGET } from "@/app/api/streams/[key]/groups/[group]/pending/route";
import { GET as histogramGET } from "@/app/api/streams/[key]/groups/[group]/idle-histogram/route";
import { GET as groupGET } from "@/app/api/streams/[key]/groups/[group]/route";
import { POST as redrivePOST } from "@/app/api/streams/[key]/redrive/route";
import type {
  AckResponse,
  ClaimResponse,
  DeadLetterResponse,
  DeleteResponse,
  GroupDetailResponse,
  IdleHistogramResponse,
  PendingPageResponse,
  RedriveResponse,
  RequeueResponse,
} from "@/lib/contract/pending";
import { closeRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { entries, pelIds, seedPending, sleep, snapshot } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("proute");
afterAll(async () => {
  await cleanPrefix(redis, prefix);
  await closeRedis();
});

let n = 0;
// Keys with characters that need encoding in a URL, to prove nothing re-parses them.
const key = (name = "s") => `${prefix}a/b %{x}é ${name}${++n}`;
type Handler = Parameters<typeof callRoute>[0];
const post = <T>(handler: unknown, params: Record<string, string>, body: unknown) =>
  callRoute<T>(handler as Handler, "/api/x", { params, body });
type ErrorRes = { error: { code: string; message: string } };

describe("action routes", () => {
  it("ack by ids and by filter", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 4 });
    const res = await post<AckResponse>(ackPOST, { key: s, group: "g" }, { ids: [ids[0]] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ acked: 1, skipped: 0, items: [{ id: ids[0], outcome: "ok" }] });
    const dry = await post(ackPOST, { key: s, group: "g" }, { filter: {}, dryRun: true });
    expect(dry.body).toEqual({ dryRun: true, matched: 3 });
    expect(await pelIds(redis, s, "g")).toHaveLength(3);
    const all = await post<AckResponse>(ackPOST, { key: s, group: "g" }, { filter: {} });
    expect(all.body).toEqual({ acked: 3, skipped: 0 });
  });

  it("claim respects min idle", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 2 });
    const fresh = await post<ClaimResponse>(
      claimPOST,
      { key: s, group: "g" },
      { ids, consumer: "w2", minIdleMs: 60_000 },
    );
    expect(fresh.body).toMatchObject({ claimed: 0, skipped: 2 });
    await sleep(60);
    const res = await post<ClaimResponse>(claimPOST, { key: s, group: "g" }, { ids, consumer: "w2", minIdleMs: 50 });
    expect(res.body).toMatchObject({ claimed: 2, deleted: 0, skipped: 0 });
  });

  it("requeue, with the several-groups refusal", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 2 });
    const res = await post<RequeueResponse>(requeuePOST, { key: s, group: "g" }, { ids: [ids[0]], reason: "test" });
    expect(res.body).toMatchObject({ requeued: 1, skipped: 0 });
    await redis.xgroup("CREATE", s, "audit", "$");
    const refused = await post<ErrorRes>(requeuePOST, { key: s, group: "g" }, { ids: [ids[1]] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("REQUEUE_NEEDS_ALL_GROUPS");
    expect(refused.body.error.message).toMatch(/2 groups/);
    const forced = await post<RequeueResponse>(requeuePOST, { key: s, group: "g" }, { ids: [ids[1]], allGroups: true });
    expect(forced.body).toMatchObject({ requeued: 1 });
  });

  it("dead-letter then redrive back to the origin", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 3 });
    const res = await post<DeadLetterResponse>(deadLetterPOST, { key: s, group: "g" }, { ids });
    expect(res.body).toMatchObject({ moved: 3, skipped: 0, target: `${s}:dlq` });
    const dlqIds = res.body.items!.map((i) => i.to!);
    const dry = await post(redrivePOST, { key: `${s}:dlq` }, { ids: dlqIds, dryRun: true });
    expect(dry.body).toEqual({ dryRun: true, matched: 3 });
    const back = await post<RedriveResponse>(redrivePOST, { key: `${s}:dlq` }, { ids: [...dlqIds, "1-1"] });
    expect(back.body).toMatchObject({ redriven: 3, skipped: 1 });
    expect(back.body.items.at(-1)).toEqual({ id: "1-1", outcome: "deleted" });
    expect(await redis.xlen(`${s}:dlq`)).toBe(0);
    const copies = (await entries(redis, s)).slice(3);
    expect(copies.map((e) => e.fields.payload)).toEqual(["p0", "p1", "p2"]);
    expect(copies[0]!.fields["streamscope-origin-id"]).toBe(ids[0]);
  });

  it("delete by filter with a dry run first", async () => {
    const s = key();
    await seedPending(redis, s, { n: 3 });
    const before = await snapshot(redis, s, "g");
    const dry = await post(deletePOST, { key: s, group: "g" }, { filter: { consumer: "c1" }, dryRun: true });
    expect(dry.body).toEqual({ dryRun: true, matched: 3 });
    expect(await snapshot(redis, s, "g")).toEqual(before);
    const res = await post<DeleteResponse>(deletePOST, { key: s, group: "g" }, { filter: { consumer: "c1" } });
    expect(res.body).toEqual({ deleted: 3, skipped: 0 });
    expect(await redis.xlen(s)).toBe(0);
  });
});

describe("read routes", () => {
  it("group, pending page and histogram", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 3 });
    const g = await callRoute<GroupDetailResponse>(groupGET as Handler, "/api/x", { params: { key: s, group: "g" } });
    expect(g.body).toMatchObject({ name: "g", pending: 3, consumers: [{ name: "c1", pending: 3, dead: false }] });
    const p = await callRoute<PendingPageResponse>(pendingGET as Handler, "/api/x", {
      params: { key: s, group: "g" },
      query: { count: 2, withFields: 1 },
    });
    expect(p.body.entries.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(p.body.entries[0]!.fields).toEqual([
      ["payload", "p0"],
      ["n", "0"],
    ]);
    const p2 = await callRoute<PendingPageResponse>(pendingGET as Handler, "/api/x", {
      params: { key: s, group: "g" },
      query: { count: 2, start: p.body.next! },
    });
    expect(p2.body.entries.map((e) => e.id)).toEqual([ids[2]]);
    expect(p2.body.next).toBeNull();
    const h = await callRoute<IdleHistogramResponse>(histogramGET as Handler, "/api/x", {
      params: { key: s, group: "g" },
    });
    expect(h.body).toMatchObject({ exact: true, total: 3 });
    expect(h.body.buckets[0]!.count).toBe(3);
  });
});

describe("validation and errors", () => {
  it("answers 400 for junk JSON, bad ids, too many ids, bad queries", async () => {
    const s = key();
    const ids = await seedPending(redis, s, { n: 1 });
    const junk = await callRoute<ErrorRes>(ackPOST as Handler, "/api/x", {
      params: { key: s, group: "g" },
      rawBody: "{ids: [",
    });
    expect(junk.status).toBe(400);
    expect(junk.body.error.code).toBe("BAD_REQUEST");
    const bad = await post<ErrorRes>(ackPOST, { key: s, group: "g" }, { ids: ["nope"] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/ids\.0/);
    const many = Array.from({ length: 10_001 }, (_, i) => `${i + 1}-0`);
    expect((await post(requeuePOST, { key: s, group: "g" }, { ids: many })).status).toBe(400);
    expect((await post(ackPOST, { key: s, group: "g" }, { ids, filter: {} })).status).toBe(400);
    expect((await post(claimPOST, { key: s, group: "g" }, { ids, consumer: "x" })).status).toBe(400);
    const q = await callRoute<ErrorRes>(pendingGET as Handler, "/api/x", {
      params: { key: s, group: "g" },
      query: { count: 5000 },
    });
    expect(q.status).toBe(400);
    const cursor = await callRoute<ErrorRes>(pendingGET as Handler, "/api/x", {
      params: { key: s, group: "g" },
      query: { start: "abc" },
    });
    expect(cursor.status).toBe(400);
    expect(await pelIds(redis, s, "g")).toEqual(ids);
  });

  it("answers 404 for an unknown group or missing key, 409 for another type", async () => {
    const s = key();
    await seedPending(redis, s, { n: 1 });
    const cases: [string, unknown, unknown][] = [
      ["ack", ackPOST, { ids: ["1-0"] }],
      ["claim", claimPOST, { ids: ["1-0"], consumer: "x", minIdleMs: 0 }],
      ["requeue", requeuePOST, { filter: {} }],
      ["dead-letter", deadLetterPOST, { ids: ["1-0"] }],
      ["delete", deletePOST, { filter: {}, dryRun: true }],
      ["pending", pendingGET, undefined],
      ["histogram", histogramGET, undefined],
    ];
    for (const [name, handler, body] of cases) {
      const res = await callRoute<ErrorRes>(handler as Handler, "/api/x", { params: { key: s, group: "nope" }, body });
      expect([name, res.status, res.body.error?.code]).toEqual([name, 404, "NOT_FOUND"]);
    }
    const unknown = await post<ErrorRes>(ackPOST, { key: s, group: "nope" }, { ids: ["1-0"] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("NOT_FOUND");
    const missing = await callRoute<ErrorRes>(pendingGET as Handler, "/api/x", {
      params: { key: key("missing"), group: "g" },
    });
    expect(missing.status).toBe(404);
    const h = key("hash");
    await redis.hset(h, "a", "1");
    const wrong = await callRoute<ErrorRes>(groupGET as Handler, "/api/x", { params: { key: h, group: "g" } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe("WRONG_TYPE");
    const wrongTarget = await post<ErrorRes>(deadLetterPOST, { key: s, group: "g" }, { filter: {}, target: h });
    expect(wrongTarget.status).toBe(409);
    const redriveMissing = await post<ErrorRes>(redrivePOST, { key: key("nodlq") }, { ids: ["1-0"] });
    expect(redriveMissing.status).toBe(404);
  });
});
