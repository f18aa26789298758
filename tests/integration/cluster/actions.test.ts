/**
 * Every action on a 3-master cluster, through the real routes: moves in one slot stay one atomic
 * script, moves to another slot go in two steps; afterwards every message is counted exactly once.
 */
import type Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { POST as ackPOST } from "@/app/api/streams/[key]/groups/[group]/ack/route";
import { POST as claimPOST } from "@/app/api/streams/[key]/groups/[group]/claim/route";
import { POST as requeuePOST } from "@/app/api/streams/[key]/groups/[group]/requeue/route";
import { POST as deadLetterPOST } from "@/app/api/streams/[key]/groups/[group]/dead-letter/route";
import { POST as deletePOST } from "@/app/api/streams/[key]/groups/[group]/delete/route";
import { GET as groupGET, DELETE as groupDELETE } from "@/app/api/streams/[key]/groups/[group]/route";
import { POST as createGroupPOST } from "@/app/api/streams/[key]/groups/route";
import { POST as setIdPOST } from "@/app/api/streams/[key]/groups/[group]/setid/route";
import { DELETE as consumerDELETE } from "@/app/api/streams/[key]/groups/[group]/consumers/[consumer]/route";
import { POST as publishPOST } from "@/app/api/streams/[key]/messages/route";
import { POST as redrivePOST } from "@/app/api/streams/[key]/redrive/route";
import { GET as jobsGET } from "@/app/api/streams/[key]/groups/[group]/jobs/route";
import { GET as jobGET } from "@/app/api/jobs/[id]/route";
import { jobSettled } from "@/lib/actions/jobs";
import { moveInTwoSteps, writeCopies } from "@/lib/actions/two-step";
import { deadLetterTarget } from "@/lib/config/resolve";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import type { JobListResponse, JobResponse } from "@/lib/contract/jobs";
import type {
  AckResponse,
  ClaimResponse,
  DeadLetterResponse,
  DeleteResponse,
  GroupDetailResponse,
  PublishResponse,
  RedriveResponse,
  RequeueResponse,
} from "@/lib/contract/pending";
import { slotOf } from "@/lib/redis/slots";
import { privateCluster } from "../../helpers/cluster";
import { deliver, seedPending } from "../../helpers/pending";
import { callRoute } from "../../helpers/route";
import { watchCommands } from "../../helpers/monitor";

const { raw, nodes } = privateCluster();
const r = () => raw() as unknown as Redis;

type Handler = Parameters<typeof callRoute>[0];
async function call<T>(handler: unknown, params: Record<string, string>, body?: unknown, opts = {}) {
  return callRoute<T>(handler as Handler, "/api/x", { params, body, ...opts });
}

let n = 0;
/** A fresh stream name on the master `node` (0-2) when given. */
function key(name: string, node?: number): string {
  for (;;) {
    const k = `ca:${name}${++n}`;
    if (node === undefined || masterIndex(k) === node) return k;
  }
}

function masterIndex(k: string): number {
  const owner = raw().slots[slotOf(k)]?.[0];
  const masters = [...new Set(raw().slots.map((s) => s[0]))].sort();
  return masters.indexOf(owner);
}

const F = DEAD_LETTER_FIELDS;
const num = (fields: string[]) => fields[fields.indexOf("n") + 1];

/** The `n` of each entry of a stream, with its origin id when it is a copy. */
async function contents(k: string): Promise<{ id: string; n: string; origin?: string }[]> {
  const rows = await raw().xrange(k, "-", "+");
  return rows.map(([id, fields]) => {
    const at = fields.indexOf(F.originId);
    return { id, n: num(fields)!, ...(at >= 0 ? { origin: fields[at + 1] } : {}) };
  });
}

/** `n` of each pending original of the group. */
async function pendingNs(k: string, group = "g"): Promise<string[]> {
  const rows = (await raw().xpending(k, group, "-", "+", 10_000)) as [string][];
  const all = new Map((await contents(k)).map((e) => [e.id, e.n]));
  return rows.map(([id]) => all.get(id)!);
}

/** Each produced message in exactly one place, and no copy twice. */
function expectConserved(produced: number, ...places: string[][]) {
  const all = places.flat();
  expect(all.length).toBe(produced);
  expect(new Set(all).size).toBe(produced);
  expect(new Set(all)).toEqual(new Set(Array.from({ length: produced }, (_, i) => String(i))));
}

describe("actions on a 3-master cluster", () => {
  it("the test streams land on every master", () => {
    const nodes = new Set([0, 1, 2].map((i) => masterIndex(key("spread", i))));
    expect(nodes).toEqual(new Set([0, 1, 2]));
  });

  it("ack and delete, by ids and by filter, on streams of different masters", async () => {
    for (const node of [0, 1, 2]) {
      const s = key("ack", node);
      const ids = await seedPending(r(), s, { n: 20 });
      const acked = await call<AckResponse>(ackPOST, { key: s, group: "g" }, { ids: ids.slice(0, 5) });
      expect(acked.status).toBe(200);
      expect(acked.body.acked).toBe(5);
      const byFilter = await call<AckResponse>(ackPOST, { key: s, group: "g" }, { filter: { maxId: ids[9] } });
      expect(byFilter.body).toEqual({ acked: 5, skipped: 0 });
      const deleted = await call<DeleteResponse>(deletePOST, { key: s, group: "g" }, { ids: ids.slice(10, 13) });
      expect(deleted.body.deleted).toBe(3);
      expect(await raw().xlen(s)).toBe(17);
      const pending = await pendingNs(s);
      const ackedNs = Array.from({ length: 10 }, (_, i) => String(i));
      expectConserved(20, pending, ackedNs, ["10", "11", "12"]);
    }
  });

  it("claim moves pending messages to another consumer", async () => {
    const s = key("claim", 1);
    const ids = await seedPending(r(), s, { n: 6 });
    const res = await call<ClaimResponse>(claimPOST, { key: s, group: "g" }, { ids, consumer: "c2", minIdleMs: 0 });
    expect(res.body.claimed).toBe(6);
    const rows = (await raw().xpending(s, "g", "-", "+", 10)) as [string, string][];
    expect(rows.map((row) => row[1])).toEqual(Array(6).fill("c2"));
  });

  it("requeue is one atomic script: copies in the stream, originals acked", async () => {
    const s = key("rq", 2);
    const ids = await seedPending(r(), s, { n: 10 });
    const res = await call<RequeueResponse>(requeuePOST, { key: s, group: "g" }, { ids: ids.slice(0, 4) });
    expect(res.body).toMatchObject({ requeued: 4, skipped: 0, atomic: true, twoStep: 0 });
    const copies = (await contents(s)).filter((e) => e.origin);
    expect(copies.map((c) => c.origin)).toEqual(ids.slice(0, 4));
    expectConserved(
      10,
      await pendingNs(s),
      copies.map((c) => c.n),
    );
  });

  it("dead-letter to the default target stays in the stream's slot and is atomic", async () => {
    const s = key("dl", 0);
    const ids = await seedPending(r(), s, { n: 10 });
    const detail = await call<GroupDetailResponse>(groupGET, { key: s, group: "g" });
    expect(detail.body.deadLetterTarget).toBe(`{${s}}:dlq`);
    const res = await call<DeadLetterResponse>(deadLetterPOST, { key: s, group: "g" }, { ids: ids.slice(0, 5) });
    expect(res.body).toMatchObject({ moved: 5, skipped: 0, target: `{${s}}:dlq`, atomic: true, twoStep: 0 });
    expect(slotOf(res.body.target)).toBe(slotOf(s));
    const dlq = await contents(res.body.target);
    expectConserved(
      10,
      await pendingNs(s),
      dlq.map((e) => e.n),
    );
    for (const k of ["plain", "a}b", "x{y", "{}z", "{t}u"]) {
      const target = deadLetterTarget("<stream>:dlq", k, { cluster: true });
      expect(target.endsWith(":dlq") && target.includes(k)).toBe(true);
      expect(slotOf(target)).toBe(slotOf(k));
      expect(deadLetterTarget("<stream>:dlq", k)).toBe(`${k}:dlq`);
    }
    // A tagged key keeps its tag: `<stream>:dlq`.
    const tagged = `{${key("tag")}}:orders`;
    await seedPending(r(), tagged, { n: 1 });
    const res2 = await call<DeadLetterResponse>(deadLetterPOST, { key: tagged, group: "g" }, { filter: {} });
    expect(res2.body).toMatchObject({ moved: 1, target: `${tagged}:dlq`, atomic: true });
  });

  it("dead-letter to a target on another master goes in two steps, once per message", async () => {
    const s = key("dlx", 0);
    const target = key("parked", 2);
    const ids = await seedPending(r(), s, { n: 30 });
    const res = await call<DeadLetterResponse>(
      deadLetterPOST,
      { key: s, group: "g" },
      { ids: ids.slice(0, 10), target },
    );
    expect(res.body).toMatchObject({ moved: 10, skipped: 0, target, atomic: false, twoStep: 10 });
    const dlq = await contents(target);
    expect(res.body.items!.map((i) => i.to)).toEqual(dlq.map((e) => e.id));
    expect(dlq.map((e) => e.origin)).toEqual(ids.slice(0, 10));
    // Again, and two identical requests at once: nothing moves twice.
    const again = await call<DeadLetterResponse>(
      deadLetterPOST,
      { key: s, group: "g" },
      { ids: ids.slice(0, 10), target },
    );
    expect(again.body).toMatchObject({ moved: 0, skipped: 10 });
    const both = await Promise.all(
      [0, 1].map(() =>
        call<DeadLetterResponse>(deadLetterPOST, { key: s, group: "g" }, { filter: { maxId: ids[19] }, target }),
      ),
    );
    expect(both[0]!.body.moved + both[1]!.body.moved).toBe(10);
    const after = await contents(target);
    expectConserved(
      30,
      await pendingNs(s),
      after.map((e) => e.n),
    );
    // The markers are gone once the moves settled.
    for (const node of nodes()) expect(await node.keys("*move-copy*")).toEqual([]);
  });

  it("a failure between the copy and the ack, then a retry: one copy, the original acked once", async () => {
    const s = key("crash", 1);
    const target = key("crashdlq", 0);
    const ids = await seedPending(r(), s, { n: 4 });
    const move = {
      source: s,
      target,
      mode: "ack" as const,
      group: "g",
      filter: ["", 0, 0] as [string, number, number],
    };
    // Step 1 alone (the process dies before the ack).
    const [copy] = await writeCopies(raw(), move, [
      { id: ids[0]!, fields: ["payload", "p0", "n", "0", F.originStream, s, F.originId, ids[0]!] },
    ]);
    expect(await raw().xlen(target)).toBe(1);
    expect(await pendingNs(s)).toContain("0");
    const res = await call<DeadLetterResponse>(
      deadLetterPOST,
      { key: s, group: "g" },
      { ids: ids.slice(0, 2), target },
    );
    expect(res.body).toMatchObject({ moved: 2, atomic: false, twoStep: 2 });
    expect(res.body.items![0]).toEqual({ id: ids[0], outcome: "ok", to: copy });
    const dlq = await contents(target);
    expect(dlq.map((e) => e.origin)).toEqual([ids[0], ids[1]]);
    expectConserved(
      4,
      await pendingNs(s),
      dlq.map((e) => e.n),
    );
  });

  it("a copy whose original someone else acked after the read is withdrawn, not left as a duplicate", async () => {
    const s = key("race", 2);
    const target = key("racedlq", 1);
    const ids = await seedPending(r(), s, { n: 2 });
    const move = {
      source: s,
      target,
      mode: "ack" as const,
      group: "g",
      filter: ["", 0, 0] as [string, number, number],
    };
    // The move read both as pending; a consumer acks the first before the copy is written.
    await raw().xack(s, "g", ids[0]!);
    const items = await moveInTwoSteps(raw(), move, [
      { id: ids[0]!, fields: ["n", "0"] },
      { id: ids[1]!, fields: ["n", "1"] },
    ]);
    expect(items.map((i) => i.outcome)).toEqual(["skipped", "ok"]);
    expect((await contents(target)).map((e) => e.n)).toEqual(["1"]);
    expect(await pendingNs(s)).toEqual([]);
  });

  it("redrive back to the origin: atomic from the default dead-letter stream, two-step from another slot", async () => {
    const s = key("rd", 0);
    const far = key("rdfar", 1);
    const ids = await seedPending(r(), s, { n: 10 });
    const near = await call<DeadLetterResponse>(deadLetterPOST, { key: s, group: "g" }, { ids: ids.slice(0, 3) });
    const away = await call<DeadLetterResponse>(
      deadLetterPOST,
      { key: s, group: "g" },
      { ids: ids.slice(3, 6), target: far },
    );
    expect([near.body.atomic, away.body.atomic]).toEqual([true, false]);

    const back = await call<RedriveResponse>(
      redrivePOST,
      { key: near.body.target },
      { ids: near.body.items!.map((i) => i.to) },
    );
    expect(back.body).toMatchObject({ redriven: 3, skipped: 0, atomic: true, twoStep: 0 });
    const farIds = away.body.items!.map((i) => i.to!);
    const back2 = await call<RedriveResponse>(redrivePOST, { key: far }, { ids: farIds });
    expect(back2.body).toMatchObject({ redriven: 3, skipped: 0, atomic: false, twoStep: 3 });
    const again = await call<RedriveResponse>(redrivePOST, { key: far }, { ids: farIds });
    expect(again.body).toMatchObject({ redriven: 0, skipped: 3 });
    expect(await raw().xlen(near.body.target)).toBe(0);
    expect(await raw().xlen(far)).toBe(0);

    // Redriven copies are new entries of the origin, not yet delivered: deliver them, then count.
    await deliver(r(), s, "g", "c1", 100);
    const redriven = (await contents(s)).filter((e) => e.origin);
    expect(redriven.map((e) => e.n).sort()).toEqual(["0", "1", "2", "3", "4", "5"]);
    const pending = await pendingNs(s);
    expect(pending.length).toBe(10);
    expectConserved(10, pending);
  });

  it("entries of 512 KiB go to another slot and back in rounds of a quarter MiB, each once, payloads read per round", async () => {
    const s = key("fat", 0);
    const far = key("fatfar", 2);
    const ids = await seedPending(r(), s, { n: 30, payload: (i) => String(i % 10).repeat(512 * 1024) });
    const away = await call<DeadLetterResponse>(deadLetterPOST, { key: s, group: "g" }, { ids, target: far });
    expect(away.body).toMatchObject({ moved: 30, skipped: 0, atomic: false, twoStep: 30 });
    const farIds = away.body.items!.map((i) => i.to!);
    const farNode = [...new Set(raw().slots.map((slot) => slot[0]))].sort()[2]!;
    for (const third of [farIds.slice(0, 10), farIds.slice(10, 20), farIds.slice(20)]) {
      const watch = await watchCommands(`redis://${farNode}`);
      const back = await call<RedriveResponse>(redrivePOST, { key: far }, { ids: third });
      expect(back.body).toMatchObject({ redriven: 10, skipped: 0, atomic: false, twoStep: 10 });
      // The payloads are read in rounds, each moved (its originals settled here) before the next
      // is read: the request never holds all of them.
      const lines = (await watch.stop()).filter((l) => l.includes(`"${far}"`));
      const lastRead = lines.findLastIndex((l) => /^"xrange"/i.test(l));
      const firstSettle = lines.findIndex((l) => /^"evalsha"/i.test(l));
      expect(firstSettle).toBeGreaterThanOrEqual(0);
      expect(firstSettle).toBeLessThan(lastRead);
    }
    expect(await raw().xlen(far)).toBe(0);
    await deliver(r(), s, "g", "c1", 100);
    const redriven = (await contents(s)).filter((e) => e.origin);
    expect(redriven.map((e) => e.origin)).toEqual(ids);
    expect(redriven.map((e) => e.n)).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
  });

  it("group admin: create, setid, delete consumer, delete group", async () => {
    const s = key("admin", 2);
    await seedPending(r(), s, { n: 3 });
    const created = await call(createGroupPOST, { key: s }, { name: "g2", startId: "0" });
    expect(created.status).toBe(201);
    const setid = await call<{ lastDeliveredId: string }>(setIdPOST, { key: s, group: "g2" }, { id: "$" });
    const last = (await raw().xrevrange(s, "+", "-", "COUNT", 1))[0]?.[0];
    expect(setid.body.lastDeliveredId).toBe(last);
    const dropped = await call<{ pendingDropped: number }>(
      consumerDELETE,
      { key: s, group: "g", consumer: "c1" },
      undefined,
      { method: "DELETE" },
    );
    expect(dropped.body).toEqual({ deleted: true, pendingDropped: 3 });
    const gone = await call<{ deleted: boolean }>(groupDELETE, { key: s, group: "g2" }, undefined, {
      method: "DELETE",
    });
    expect(gone.body.deleted).toBe(true);
    expect(((await raw().xinfo("GROUPS", s)) as unknown[]).length).toBe(1);
  });

  it("publish with an Idempotency-Key adds one entry, on whichever master holds the stream", async () => {
    for (const node of [0, 1, 2]) {
      const s = key("pub", node);
      await raw().xadd(s, "*", "n", "seed");
      const send = () =>
        call<PublishResponse>(
          publishPOST,
          { key: s },
          { fields: [["n", "x"]] },
          { headers: { "idempotency-key": `k-${node}` } },
        );
      const first = await send();
      const second = await send();
      expect(first.status).toBe(201);
      expect(second.body).toEqual({ id: first.body.id, replayed: true });
      expect(await raw().xlen(s)).toBe(2);
    }
  });

  it("a background bulk job runs on the cluster: its record, list and counts", async () => {
    const s = key("job", 1);
    const target = key("jobdlq", 0);
    await seedPending(r(), s, { n: 120 });
    const started = await call<JobResponse>(
      deadLetterPOST,
      { key: s, group: "g" },
      { filter: {}, target, background: true },
    );
    expect(started.status).toBe(202);
    await jobSettled(started.body.job.id);
    const job = await call<JobResponse>(jobGET, { id: started.body.job.id });
    expect(job.body.job).toMatchObject({ status: "done", ok: 120, total: 120 });
    expect(job.body.job.result).toMatchObject({ moved: 120, atomic: false, twoStep: 120 });
    const list = await call<JobListResponse>(jobsGET, { key: s, group: "g" });
    expect(list.body.jobs.map((j) => j.id)).toEqual([started.body.job.id]);
    expectConserved(
      120,
      await pendingNs(s),
      (await contents(target)).map((e) => e.n),
    );
  });
});
