import { afterAll, describe, expect, it } from "vitest";
import { apiRoute } from "@/lib/http/route";
import { readAudit } from "@/lib/audit/audit";
import { closeRedis, getRedis } from "@/lib/redis/client";
import { callRoute } from "../helpers/route";

/** A promise that settles after `ms`, saying when it did. */
function later(ms: number, fail = false): { work: Promise<void>; settled: () => boolean } {
  let settled = false;
  const work = new Promise<void>((resolve, reject) =>
    setTimeout(() => {
      settled = true;
      if (fail) reject(new Error("beside work failed"));
      else resolve();
    }, ms),
  );
  return { work, settled: () => settled };
}

afterAll(async () => {
  await closeRedis();
});

describe("work left beside an answer (ctx.beforeAnswer)", () => {
  it("the answer waits for it, its failure is logged, not answered, and the audit entry is written", async () => {
    const slow = later(150);
    const failing = later(20, true);
    const action = `test.beside.${Date.now()}`;
    const route = apiRoute({ permission: "operate", action }, async (_req, ctx) => {
      ctx.beforeAnswer(slow.work);
      ctx.beforeAnswer(failing.work);
      return { done: true };
    });
    const res = await callRoute<{ done: boolean }>(route as never, "/api/x", { body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ done: true });
    expect(slow.settled()).toBe(true);
    expect(failing.settled()).toBe(true);
    const trail = await readAudit(await getRedis(), { limit: 50 });
    expect(trail.entries.find((e) => e.action === action)).toMatchObject({ result: "ok", status: 200 });
  });

  it("a handler that fails after leaving work still waits for it before its error answer", async () => {
    const slow = later(150);
    const route = apiRoute({ permission: "operate", action: "test.beside.fail" }, async (_req, ctx) => {
      ctx.beforeAnswer(slow.work);
      throw new Error("handler failed");
    });
    const res = await callRoute<{ error: { code: string } }>(route as never, "/api/x", { body: {} });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("INTERNAL");
    expect(slow.settled()).toBe(true);
  });
});
