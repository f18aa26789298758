import { getSettings } from "@/lib/config/settings";
import Redis from "ioredis";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ackPending,
  claimPending,
  deadLetterPending,
  deletePending,
  requeuePending,
} from "@/lib/actions/pending-actions";
import { createGroup, deleteConsumer, deleteGroup, publishMessage, setGroupId } from "@/lib/actions/admin";
import { redrive } from "@/lib/actions/redrive";
import { describeStreams } from "@/lib/streams/rows";
import { readEntries } from "@/lib/streams/entries";
import { readPendingPage } from "@/lib/pending/page";
import { pendingQuerySchema } from "@/lib/contract/pending";
import { getGroupDetail } from "@/lib/pending/group";
import { tick } from "@/lib/worker/tick";
import { probeServer } from "@/lib/redis/server-info";
import { readPttls } from "@/lib/redis/keyspace";
import { settingsFrom } from "../helpers/worker";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";
import { recordSentCommands } from "../helpers/sent-commands";

/**
 * The operator ACL that docs/security.md tells people to give the dashboard's Redis user is the
 * one these tests run under: every read, action, admin call and a full worker tick must pass.
 */
function aclFromDocs(variant: "operator" | "read-only", user: string, password: string): string[] {
  const doc = readFileSync("docs/security.md", "utf8");
  const line = doc
    .split("\n")
    .find((l) => l.startsWith("ACL SETUSER") && (variant === "operator" ? l.includes("%RW~*") : l.includes("%R~*")));
  if (!line) throw new Error(`no ${variant} ACL line in docs/security.md`);
  const rules = line
    .replace(/^ACL SETUSER streamscope /, "")
    .replace(">CHANGE-ME", `>${password}`)
    .trim()
    .split(/\s+/);
  return [user, ...rules];
}

const admin = testRedis();
const prefix = uniquePrefix("acl");
const user = `acl_${prefix.split(":")[2]}`;
const viewer = `${user}_ro`;
let redis: Redis;
let readOnly: Redis;

function connectAs(username: string): Redis {
  const url = new URL(process.env.REDIS_URL!);
  return new Redis({
    host: url.hostname,
    port: Number(url.port),
    username,
    password: "pw-123",
    maxRetriesPerRequest: 1,
  });
}

beforeAll(async () => {
  await admin.call("ACL", "SETUSER", ...aclFromDocs("operator", user, "pw-123"));
  await admin.call("ACL", "SETUSER", ...aclFromDocs("read-only", viewer, "pw-123"));
  redis = connectAs(user);
  readOnly = connectAs(viewer);
});

afterAll(async () => {
  redis.disconnect();
  readOnly.disconnect();
  await admin.call("ACL", "DELUSER", user, viewer);
  await cleanPrefix(admin, prefix);
});

describe("the documented operator Redis ACL", () => {
  it("allows every read, action, admin call and worker job the dashboard runs", async () => {
    const key = `${prefix}s`;
    for (let i = 1; i <= 6; i++) await admin.xadd(key, `${i}-0`, "n", String(i));
    await admin.xgroup("CREATE", key, "g", "0");
    await admin.xreadgroup("GROUP", "g", "c", "COUNT", 6, "STREAMS", key, ">");

    expect((await describeStreams(redis, [key], await getSettings(redis)))[0]).toMatchObject({ key, pending: 6 });
    expect((await readEntries(redis, key, { order: "asc", count: 10 })).entries).toHaveLength(6);
    expect((await readPendingPage(redis, key, "g", pendingQuerySchema.parse({ count: "10" }))).entries).toHaveLength(6);
    expect((await getGroupDetail(redis, key, "g")).pending).toBe(6);

    expect(await ackPending(redis, key, "g", { ids: ["1-0"] })).toMatchObject({ acked: 1 });
    expect(await claimPending(redis, key, "g", { ids: ["2-0"], consumer: "other", minIdleMs: 0 })).toMatchObject({
      claimed: 1,
    });
    expect(await requeuePending(redis, key, "g", { ids: ["3-0"] })).toMatchObject({ requeued: 1 });
    expect(await deadLetterPending(redis, key, "g", { ids: ["4-0"] })).toMatchObject({ moved: 1 });
    expect(await deletePending(redis, key, "g", { ids: ["5-0"] })).toMatchObject({ deleted: 1 });
    const [dlqId] = (await admin.xrange(`${key}:dlq`, "-", "+"))[0]!;
    expect(await redrive(redis, `${key}:dlq`, { ids: [dlqId] })).toMatchObject({ redriven: 1 });

    await publishMessage(redis, key, { fields: [["a", "b"]] });
    await createGroup(redis, key, { name: "g2", startId: "0" });
    await setGroupId(redis, key, "g2", { id: "$" });
    await deleteConsumer(redis, key, "g", "other");
    await deleteGroup(redis, key, "g2");

    const settings = settingsFrom({
      families: [{ name: "f", pattern: `${prefix}fam_<yyyyMMddHH>`, groups: ["g"], ttlSeconds: 3600 }],
      groups: [{ stream: `${prefix}*`, stuckAfterMs: 100, policy: "reassign", trim: true }],
    });
    const result = await tick({ redis, forced: true, settings, keyMatch: `${prefix}*`, record: true });
    expect(result.jobs.filter((j) => j.error)).toEqual([]);
    expect(result.status).toBe("ok");
  });

  it("read-only variant: every read works, and an ack is refused by Redis without changing anything", async () => {
    const key = `${prefix}ro`;
    await admin.xadd(key, "1-0", "n", "1");
    await admin.xgroup("CREATE", key, "g", "0");
    await admin.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", key, ">");
    expect((await describeStreams(readOnly, [key], await getSettings(readOnly)))[0]).toMatchObject({ key, pending: 1 });
    // The list's TTLs come from a read-only script (EVALSHA_RO), which the key pattern %R~* allows.
    const pttls = connectAs(viewer);
    try {
      await pttls.ping();
      const sent = recordSentCommands(pttls);
      expect(await readPttls(pttls, [key, `${prefix}missing`])).toEqual([
        [null, -1],
        [null, -2],
      ]);
      expect(sent.count("evalsha_ro")).toBeGreaterThan(0);
      expect(sent.count("pttl")).toBe(0);
    } finally {
      pttls.disconnect();
    }
    expect((await readEntries(readOnly, key, { order: "desc", count: 10 })).entries).toHaveLength(1);
    // The live tail's blocking read (lib/streams/tail.ts).
    expect(await readOnly.xread("COUNT", 1, "BLOCK", 10, "STREAMS", key, "0-0")).toHaveLength(1);
    expect((await getGroupDetail(readOnly, key, "g")).pending).toBe(1);
    await expect(ackPending(readOnly, key, "g", { ids: ["1-0"] })).rejects.toThrow(/NOPERM|permission|ACL/i);
    expect(((await admin.xpending(key, "g")) as unknown[])[0]).toBe(1);
  });
});

describe("server detection under the documented ACLs", () => {
  it("asks COMMAND INFO (not the version number) as the operator and the read-only user", async () => {
    for (const client of [redis, readOnly]) {
      expect((await probeServer(client)).features).toMatchObject({ streams70: true, detectedBy: "command" });
    }
  });
});
