import { describe, expect, it } from "vitest";
import { isSupported, serverInfoFromInfo } from "@/lib/redis/server-info";

const info = (lines: string[]) => ["# Server", ...lines, "redis_mode:standalone", ""].join("\r\n");

describe("server version support", () => {
  it("refuses Redis 6.2 and older", () => {
    expect(isSupported(serverInfoFromInfo(info(["redis_version:6.2.14"])))).toBe(false);
    expect(isSupported(serverInfoFromInfo(info(["redis_version:5.0.7"])))).toBe(false);
  });
  it("accepts Redis 7.0, 7.2, 7.4 and 8.x", () => {
    for (const v of ["7.0.15", "7.2.4", "7.4.2", "8.0.0", "8.2.1"]) {
      expect(isSupported(serverInfoFromInfo(info([`redis_version:${v}`]))), v).toBe(true);
    }
  });
  it("accepts Valkey 7.2+ and refuses older Valkey", () => {
    expect(isSupported(serverInfoFromInfo(info(["redis_version:7.2.4", "valkey_version:8.0.1"])))).toBe(true);
    expect(isSupported(serverInfoFromInfo(info(["redis_version:7.2.4", "valkey_version:7.2.5"])))).toBe(true);
    expect(isSupported(serverInfoFromInfo(info(["redis_version:7.0.0", "valkey_version:7.0.0"])))).toBe(false);
  });
  it("detects features by version", () => {
    const v70 = serverInfoFromInfo(info(["redis_version:7.0.15"]));
    expect(v70.features).toEqual({ consumerInactive: false, ackDel: false, lagAfterTrimFixed: false });
    expect(serverInfoFromInfo(info(["redis_version:7.2.7"])).features).toEqual({ consumerInactive: true, ackDel: false, lagAfterTrimFixed: true });
    expect(serverInfoFromInfo(info(["redis_version:7.2.6"])).features.lagAfterTrimFixed).toBe(false);
    expect(serverInfoFromInfo(info(["redis_version:8.2.0"])).features.ackDel).toBe(true);
    const valkey = serverInfoFromInfo(info(["redis_version:7.2.4", "valkey_version:8.1.0"]));
    expect(valkey).toMatchObject({ flavor: "valkey", version: "8.1.0", mode: "standalone" });
    expect(valkey.features.ackDel).toBe(false);
  });
});
