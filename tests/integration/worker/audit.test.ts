import { describe, expect, it } from "vitest";
import { readAudit } from "@/lib/audit/audit";
import { reclaimJob } from "@/lib/worker/jobs/reclaim";
import { tick } from "@/lib/worker/tick";
import { testRedis, uniquePrefix } from "../../helpers/redis";
import { settingsFrom, sleep, withAppPrefix } from "../../helpers/worker";

const redis = testRedis();
withAppPrefix("wauditp");

describe("worker audit trail", () => {
  it("records what the worker changed, with actor worker, and nothing for a tick that changed nothing", async () => {
    const p = uniquePrefix("waudit");
    const key = `${p}s`;
    for (let i = 0; i < 5; i++) await redis.xadd(key, "*", "n", String(i));
    await redis.xgroup("CREATE", key, "g", "0");
    await redis.xreadgroup("GROUP", "g", "crashed", "COUNT", 5, "STREAMS", key, ">");
    // The threshold leaves a loaded machine time to run the second tick before the claimed entries are stuck again.
    await sleep(1100);
    const settings = settingsFrom({
      groups: [{ stream: `${p}*`, stuckAfterMs: 1000, policy: "reassign", reassignTo: "rescuer" }],
    });

    await tick({ redis, forced: true, settings, jobs: [reclaimJob], keyMatch: `${p}*` });
    const first = await readAudit(redis, { actor: "worker", limit: 50 });
    const entries = first.entries.filter((e) => e.action === "worker.reclaim");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ who: "worker", method: "worker", result: "ok", touched: 5 });

    // Nothing is stuck any more: a second tick changes nothing and records nothing.
    await tick({ redis, forced: true, settings, jobs: [reclaimJob], keyMatch: `${p}*` });
    const second = await readAudit(redis, { actor: "worker", limit: 50 });
    expect(second.entries.filter((e) => e.action === "worker.reclaim")).toHaveLength(1);
  });
});
