/**
 * "Redrive all matching" on a 3-master cluster: origins in the dead-letter stream's slot move in
 * one script per batch, origins in another slot in two steps; every message ends up once.
 */
import { describe, expect, it } from "vitest";
import { POST as matchingPOST } from "@/app/api/streams/[key]/redrive-matching/route";
import { DEAD_LETTER_FIELDS as F } from "@/lib/contract/dead-letter";
import type { RedriveMatchingResponse } from "@/lib/contract/pending";
import { slotOf } from "@/lib/redis/slots";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";

const { raw } = privateCluster();

type Handler = Parameters<typeof callRoute>[0];
const post = (key: string, body: unknown) =>
  callRoute<RedriveMatchingResponse>(matchingPOST as Handler, "/api/x", { params: { key }, body });

describe("redrive-matching on a cluster", () => {
  it("moves same-slot origins atomically and others in two steps, each message once", async () => {
    const dlq = "{rdm-orders}:dlq";
    const near = "{rdm-orders}";
    let far = "rdm-far";
    for (let i = 0; slotOf(far) === slotOf(dlq); i++) far = `rdm-far${i}`;
    const pipe = raw().pipeline();
    for (let i = 0; i < 6; i++) {
      const origin = i % 2 === 0 ? near : far;
      pipe.xadd(dlq, "*", "n", String(i), F.originStream, origin, F.originGroup, "g", F.reason, "timeout");
    }
    pipe.xadd(dlq, "*", "n", "6", F.originStream, far, F.originGroup, "g", F.reason, "bad json");
    await pipe.exec();

    const dry = await post(dlq, { filter: { reason: "timeout" }, dryRun: true });
    expect(dry.body).toMatchObject({ dryRun: true, matched: 6, scanned: 7, more: false });
    const res = await post(dlq, { filter: { reason: "timeout" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ matched: 6, redriven: 6, skipped: 0, atomic: false, twoStep: 3 });
    const ns = async (k: string) => (await raw().xrange(k, "-", "+")).map(([, f]) => f[f.indexOf("n") + 1]);
    expect(await ns(near)).toEqual(["0", "2", "4"]);
    expect(await ns(far)).toEqual(["1", "3", "5"]);
    expect(await ns(dlq)).toEqual(["6"]);
    const again = await post(dlq, { filter: { reason: "timeout" } });
    expect(again.body).toMatchObject({ matched: 0, redriven: 0 });
    expect(await raw().xlen(far)).toBe(3);
  });
});
