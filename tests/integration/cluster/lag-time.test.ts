import calculateSlot from "cluster-key-slot";
import { describe, expect, it } from "vitest";
import { GET as groupRoute } from "@/app/api/streams/[key]/groups/[group]/route";
import { GET as listRoute } from "@/app/api/streams/route";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { privateCluster } from "../../helpers/cluster";
import { callRoute } from "../../helpers/route";

const { raw } = privateCluster();
const prefix = "clag:";

describe("lag in time on a 3-master cluster", () => {
  it("reads each group's oldest undelivered entry from the key's own master (rows and group detail)", async () => {
    const now = Date.now();
    const keys = Array.from({ length: 30 }, (_, i) => `${prefix}s${i}`);
    expect(new Set(keys.map((k) => calculateSlot(k))).size).toBeGreaterThan(20);
    for (const [i, key] of keys.entries()) {
      await raw().xadd(key, `${now - (i + 1) * 10_000}-0`, "n", "old");
      await raw().xadd(key, `${now - 1000}-0`, "n", "new");
      await raw().xgroup("CREATE", key, "g", "0");
    }

    // One SCAN page per master: follow the cursor.
    const rows: StreamsListResponse["streams"] = [];
    let cursor = "0";
    do {
      const res = await callRoute<StreamsListResponse>(listRoute as never, "/api/streams", {
        query: { match: `${prefix}*`, count: 1000, cursor },
      });
      expect(res.status).toBe(200);
      rows.push(...res.body.streams);
      cursor = res.body.cursor;
    } while (cursor !== "0");
    expect(rows).toHaveLength(keys.length);
    for (const row of rows) {
      const i = Number(row.key.slice(prefix.length + 1));
      expect(row.lagMs).toBeGreaterThanOrEqual((i + 1) * 10_000);
      expect(row.lagMs).toBeLessThan((i + 1) * 10_000 + 5_000);
    }

    const detail = await callRoute<GroupDetailResponse>(groupRoute as never, "/x", {
      params: { key: keys[7]!, group: "g" },
    });
    expect(detail.status).toBe(200);
    expect(detail.body.lagMs).toBeGreaterThanOrEqual(80_000);
    expect(detail.body.oldestPendingMs).toBeNull();
  });
});
