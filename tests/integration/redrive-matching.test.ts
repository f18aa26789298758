/**
 * "Redrive all matching" (POST /api/streams/{key}/redrive-matching) against the real test Redis:
 * matching by origin and by reason, the dry run, the scan budget with its cursor, entries that go
 * meanwhile, refusals, and the audit entry.
 */
import { describe, expect, it } from "vitest";
import { POST as matchingPOST } from "@/app/api/streams/[key]/redrive-matching/route";
import { POST as deadLetterPOST } from "@/app/api/streams/[key]/groups/[group]/dead-letter/route";
import { redriveMatching } from "@/lib/actions/redrive";
import { readAudit } from "@/lib/audit/audit";
import { DEAD_LETTER_FIELDS as F } from "@/lib/contract/dead-letter";
import type { DeadLetterResponse, RedriveMatchingResponse } from "@/lib/contract/pending";
import { getWriteConnection } from "@/lib/redis/client";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { tokenCallers, type ErrorRes } from "../helpers/token-caller";
import { entries, seedPending } from "../helpers/pending";

const redis = testRedis();
const prefix = uniquePrefix("rdm");
const { call } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  tokens: {
    operator: { token: "tok-operator-redrive-0123456789abcdef01", role: "operator", name: "op" },
    viewer: { token: "tok-viewer-redrive-0123456789abcdef0123", role: "viewer" },
    scoped: { token: "tok-scoped-redrive-0123456789abcdef0123", role: "operator", streams: [`${prefix}dlq*`] },
  },
});
const post = <T>(key: string, body: unknown, who: "operator" | "viewer" | "scoped" = "operator") =>
  call<T>(matchingPOST, { key }, who, body);

let n = 0;
const key = (name: string) => `${prefix}${name}_${++n}`;

/** Adds dead-lettered copies as the move script writes them; answers their ids in order. */
async function seedDlq(dlq: string, rows: { origin: string | null; reason: string; n?: number }[]): Promise<string[]> {
  const pipe = redis.pipeline();
  rows.forEach((r, i) => {
    const meta = r.origin === null ? [] : [F.originStream, r.origin, F.originGroup, "g", F.originId, `1-${i}`];
    pipe.xadd(
      dlq,
      "*",
      "payload",
      `p${r.n ?? i}`,
      ...meta,
      F.deliveries,
      "11",
      F.deadLetteredAt,
      "1700000000000",
      F.reason,
      r.reason,
    );
  });
  return ((await pipe.exec()) ?? []).map(([err, id]) => {
    if (err) throw err;
    return String(id);
  });
}

const payloads = async (stream: string) => (await entries(redis, stream)).map((e) => e.fields.payload);

describe("redrive-matching", () => {
  it("moves the entries of one origin, leaving the others and the metadata as they were", async () => {
    const [a, b, dlq] = [key("orders"), key("payments"), key("dlq")];
    await seedDlq(dlq, [
      { origin: a, reason: "timeout" },
      { origin: b, reason: "timeout" },
      { origin: a, reason: "bad json" },
      { origin: null, reason: "timeout" },
    ]);
    const res = await post<RedriveMatchingResponse>(dlq, { filter: { origin: a } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ matched: 2, redriven: 2, skipped: 0, scanned: 4, more: false, cursor: null });
    expect(await payloads(a)).toEqual(["p0", "p2"]);
    expect(await payloads(dlq)).toEqual(["p1", "p3"]);
    expect((await entries(redis, a))[1]!.fields[F.reason]).toBe("bad json");
    expect(await redis.exists(b)).toBe(0);

    const audit = await readAudit(redis, { action: "dlq.redrive-matching", stream: dlq });
    expect(audit.entries[0]).toMatchObject({ who: "token:op", touched: 2, result: "ok" });
    expect(JSON.parse(audit.entries[0]!.filter!)).toEqual({ origin: a });
  });

  it("matches the reason exactly, or as a substring with reasonMatch contains; origin and reason together", async () => {
    const [a, b, dlq] = [key("orders"), key("payments"), key("dlq")];
    await seedDlq(dlq, [
      { origin: a, reason: "timeout" },
      { origin: b, reason: "timeout after 30s" },
      { origin: b, reason: "timeout" },
      { origin: a, reason: "bad json" },
    ]);
    const exact = await post<RedriveMatchingResponse>(dlq, { filter: { reason: "timeout", origin: b } });
    expect(exact.body).toMatchObject({ matched: 1, redriven: 1 });
    expect(await payloads(b)).toEqual(["p2"]);
    const contains = await post<RedriveMatchingResponse>(dlq, {
      filter: { reason: "timeout", reasonMatch: "contains" },
    });
    expect(contains.body).toMatchObject({ matched: 2, redriven: 2, skipped: 0, scanned: 3 });
    expect(await payloads(a)).toEqual(["p0"]);
    expect(await payloads(b)).toEqual(["p2", "p1"]);
    expect(await payloads(dlq)).toEqual(["p3"]);
  });

  it("a dry run counts and changes nothing; a copy naming the stream itself never matches", async () => {
    const [a, dlq] = [key("orders"), key("dlq")];
    await seedDlq(dlq, [
      { origin: a, reason: "timeout" },
      { origin: a, reason: "timeout" },
      { origin: a, reason: "bad json" },
      { origin: dlq, reason: "timeout" },
    ]);
    const before = await redis.xrange(dlq, "-", "+");
    const dry = await post<RedriveMatchingResponse>(dlq, { filter: { reason: "timeout" }, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      matched: 2,
      redriven: 0,
      skipped: 0,
      scanned: 4,
      more: false,
      cursor: null,
    });
    expect(await redis.xrange(dlq, "-", "+")).toEqual(before);
    expect(await redis.exists(a)).toBe(0);
    const audit = await readAudit(redis, { action: "dlq.redrive-matching", stream: dlq });
    expect(audit.entries[0]).toMatchObject({ dryRun: true, touched: 0 });
  });

  it("stops at the scan budget with more and a cursor, and the next request continues from it", async () => {
    const [a, b, dlq] = [key("orders"), key("payments"), key("dlq")];
    const rows = Array.from({ length: 25 }, (_, i) => ({ origin: i % 2 === 0 ? a : b, reason: "timeout", n: i }));
    const ids = await seedDlq(dlq, rows);
    const first = await post<RedriveMatchingResponse>(dlq, { filter: { origin: a }, scanLimit: 10 });
    expect(first.body).toEqual({ matched: 5, redriven: 5, skipped: 0, scanned: 10, more: true, cursor: ids[9] });
    const second = await post<RedriveMatchingResponse>(dlq, {
      filter: { origin: a },
      scanLimit: 10,
      cursor: first.body.cursor,
    });
    expect(second.body).toEqual({ matched: 5, redriven: 5, skipped: 0, scanned: 10, more: true, cursor: ids[19] });
    const third = await post<RedriveMatchingResponse>(dlq, {
      filter: { origin: a },
      scanLimit: 10,
      cursor: second.body.cursor,
    });
    expect(third.body).toEqual({ matched: 3, redriven: 3, skipped: 0, scanned: 5, more: false, cursor: null });
    expect(await payloads(a)).toEqual(rows.filter((r) => r.origin === a).map((r) => `p${r.n}`));
    expect(await redis.xlen(dlq)).toBe(12);

    // A budget that ends exactly at the last entry says there is no more.
    const [c, dlq2] = [key("orders"), key("dlq")];
    await seedDlq(
      dlq2,
      Array.from({ length: 4 }, () => ({ origin: c, reason: "x" })),
    );
    const exact = await post<RedriveMatchingResponse>(dlq2, { filter: { origin: c }, scanLimit: 4 });
    expect(exact.body).toMatchObject({ scanned: 4, redriven: 4, more: false, cursor: null });
  });

  it("an entry deleted after the walk read it is skipped, never moved twice or lost", async () => {
    const [a, dlq] = [key("orders"), key("dlq")];
    const ids = await seedDlq(dlq, [
      { origin: a, reason: "timeout" },
      { origin: a, reason: "timeout" },
      { origin: a, reason: "timeout" },
    ]);
    // The scope check runs per entry as the page is read, before its batch moves: an XDEL sent
    // there on the same connection reaches Redis between the read and the script. The walk's
    // first page is one entry (their size is not known yet); the second holds the other two.
    const conn = await getWriteConnection();
    let checks = 0;
    let deleted: Promise<number> | null = null;
    const res = await redriveMatching(conn, dlq, { filter: { reason: "timeout" } }, () => {
      if (++checks === 2) deleted = conn.xdel(dlq, ids[2]!);
      return true;
    });
    expect(await deleted).toBe(1);
    expect(res).toEqual({ matched: 3, redriven: 2, skipped: 1, scanned: 3, more: false, cursor: null });
    expect(await payloads(a)).toEqual(["p0", "p1"]);
    expect(await redis.xlen(dlq)).toBe(0);
    const again = await post<RedriveMatchingResponse>(dlq, { filter: { origin: a } });
    expect(again.body).toMatchObject({ matched: 0, redriven: 0, scanned: 0 });
    expect(await redis.xlen(a)).toBe(2);
  });

  it("skips origins of another type and outside the caller's streams; refuses such a named origin", async () => {
    const [a, dlq] = [key("orders"), key("dlq")];
    const hash = key("hash");
    await redis.hset(hash, "f", "v");
    await seedDlq(dlq, [
      { origin: a, reason: "timeout" },
      { origin: hash, reason: "timeout" },
    ]);
    const res = await post<RedriveMatchingResponse>(dlq, { filter: { reason: "timeout" } });
    expect(res.body).toMatchObject({ matched: 2, redriven: 1, skipped: 1 });
    expect(await payloads(dlq)).toEqual(["p1"]);

    // The scoped operator may write to dead-letter streams only: the origin is out of reach.
    const other = key("orders");
    await seedDlq(dlq, [{ origin: other, reason: "timeout" }]);
    const scoped = await post<RedriveMatchingResponse>(dlq, { filter: { reason: "timeout" } }, "scoped");
    expect(scoped.body).toMatchObject({ matched: 2, redriven: 0, skipped: 2 });
    const named = await post<ErrorRes>(dlq, { filter: { origin: other } }, "scoped");
    expect(named.status).toBe(403);
    expect(named.body.error.code).toBe("FORBIDDEN");
    expect(await redis.exists(other)).toBe(0);
    const appKey = await post<ErrorRes>(dlq, { filter: { origin: `${prefix}app:x` } });
    expect(appKey.status).toBe(404);
  });

  it("refuses a key of another type, a missing key, a bad body and a viewer, with the one error shape", async () => {
    const dlq = key("dlq");
    await seedDlq(dlq, [{ origin: key("orders"), reason: "timeout" }]);
    const hash = key("hash");
    await redis.hset(hash, "f", "v");
    const wrong = await post<ErrorRes>(hash, { filter: { reason: "timeout" } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.code).toBe("WRONG_TYPE");
    const missing = await post<ErrorRes>(key("nothing"), { filter: { reason: "timeout" } });
    expect(missing.status).toBe(404);
    for (const body of [
      {},
      { filter: {} },
      { filter: { reason: "" } },
      { filter: { origin: "x" }, scanLimit: 10_001 },
      { filter: { origin: "x" }, cursor: "nope" },
      { filter: { origin: "x" }, extra: 1 },
    ]) {
      const bad = await post<ErrorRes>(dlq, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe("BAD_REQUEST");
    }
    const viewer = await post<ErrorRes>(dlq, { filter: { reason: "timeout" } }, "viewer");
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe("FORBIDDEN");
    expect(await redis.xlen(dlq)).toBe(1);
  });

  it("redrives what the dead-letter action wrote, by the reason it was given", async () => {
    const s = key("orders");
    const ids = await seedPending(redis, s, { n: 3 });
    const post1 = (ids: string[], reason: string) =>
      call<DeadLetterResponse>(deadLetterPOST, { key: s, group: "g" }, "operator", { ids, reason });
    expect((await post1([ids[0]!, ids[2]!], "schema mismatch")).body).toMatchObject({ moved: 2, target: `${s}:dlq` });
    expect((await post1([ids[1]!], "poison")).body).toMatchObject({ moved: 1 });
    const res = await post<RedriveMatchingResponse>(`${s}:dlq`, { filter: { reason: "schema mismatch", origin: s } });
    expect(res.body).toMatchObject({ matched: 2, redriven: 2, skipped: 0 });
    const copies = (await entries(redis, s)).slice(3);
    expect(copies.map((e) => e.fields[F.originId])).toEqual([ids[0], ids[2]]);
    expect(await redis.xlen(`${s}:dlq`)).toBe(1);
  });
});
