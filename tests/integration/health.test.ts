import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { callRoute } from "../helpers/route";

describe("GET /api/health", () => {
  it("reports the server version and mode", async () => {
    const res = await callRoute<{ status: string; redis: { version: string; mode: string } }>(GET as never, "/api/health");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(res.body.redis.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.body.redis.mode).toBe("standalone");
  });
});
