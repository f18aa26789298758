import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { getRedis, getServerInfo } from "@/lib/redis/client";
import { redisServerBinary } from "@/scripts/lib/redis-server";
import { callRoute } from "../helpers/route";

/** What the test server's binary says it is (`Valkey server v=8.0.1 ...`), independent of INFO. */
function binaryIdentity(): { flavor: "redis" | "valkey"; version: string } {
  const out = spawnSync(redisServerBinary()!, ["--version"], { encoding: "utf8" }).stdout;
  const m = /^(Redis|Valkey) server v=(\S+)/.exec(out.trim());
  if (!m) throw new Error(`unexpected --version output: ${out}`);
  return { flavor: m[1] === "Valkey" ? "valkey" : "redis", version: m[2]! };
}

describe("GET /api/health", () => {
  it("reports the server's flavor, its own version (Valkey's, not its redis_version) and mode", async () => {
    const res = await callRoute<{ status: string; redis: { version: string; mode: string; flavor: string } }>(
      GET as never,
      "/api/health",
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.redis).toEqual({ ...binaryIdentity(), mode: "standalone" });
  });

  it("detects the server's features from COMMAND INFO on the live server", async () => {
    const info = await getServerInfo();
    expect(info.features).toMatchObject({ streams70: true, detectedBy: "command" });
    const xackdel = (await getRedis().call("COMMAND", "INFO", "xackdel")) as unknown[];
    expect(info.features.ackDel).toBe(Array.isArray(xackdel[0]));
  });
});
