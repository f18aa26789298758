import { describe, expect, it } from "vitest";
import { detectServer, isSupported, probeServer, unsupportedMessage } from "@/lib/redis/server-info";
import * as replies from "../helpers/server-replies";

const detect = (r: replies.RecordedServer) => detectServer(r.info, r.commandInfo);

describe("server detection on recorded replies", () => {
  it("Redis 7.0: supported, no XACKDEL", () => {
    expect(detect(replies.redis70)).toEqual({
      version: "7.0.15",
      flavor: "redis",
      mode: "standalone",
      features: { streams70: true, ackDel: false, detectedBy: "command" },
    });
  });

  it("Redis 7.2, 7.4 and the 8.0 preview (7.9.224): supported, no XACKDEL", () => {
    for (const [r, version] of [
      [replies.redis72, "7.2.6"],
      [replies.redis74, "7.4.1"],
      [replies.redis80preview, "7.9.224"],
    ] as const) {
      const s = detect(r);
      expect(s, version).toMatchObject({ version, flavor: "redis", features: { streams70: true, ackDel: false } });
      expect(isSupported(s)).toBe(true);
    }
  });

  it("Valkey 8.0: reported as Valkey with its own version, supported, no XACKDEL", () => {
    const s = detect(replies.valkey80);
    expect(s).toEqual({
      version: "8.0.1",
      flavor: "valkey",
      mode: "standalone",
      features: { streams70: true, ackDel: false, detectedBy: "command" },
    });
    expect(isSupported(s)).toBe(true);
  });

  it("Redis 8.2: XACKDEL detected from COMMAND INFO", () => {
    expect(detect(replies.redis82).features).toEqual({ streams70: true, ackDel: true, detectedBy: "command" });
  });

  it("a development build (255.255.255) gets what it answers, not what its number suggests", () => {
    const dev = detect(replies.redisDev);
    expect(dev).toMatchObject({ version: "255.255.255", features: { streams70: true, ackDel: true } });
    // The same number with a server that lacks XACKDEL: no XACKDEL.
    expect(detectServer(replies.redisDev.info, replies.redis72.commandInfo).features.ackDel).toBe(false);
  });

  it("refuses Redis 6.2 (6.x COMMAND INFO entry) and 6.0 (no XAUTOCLAIM) with a clear message", () => {
    for (const r of [replies.redis62, replies.redis60]) {
      const s = detect(r);
      expect(isSupported(s)).toBe(false);
      expect(unsupportedMessage(s)).toMatch(
        /^Redis 6\.\d+\.\d+ is not supported: Streamscope needs Redis 7\.0 or newer/,
      );
    }
  });

  it("falls back to redis_version for the 7.0 check only when COMMAND is refused", () => {
    expect(detectServer(replies.redis70.info, null).features).toEqual({
      streams70: true,
      ackDel: false,
      detectedBy: "version",
    });
    expect(detectServer(replies.redis82.info, null).features.ackDel).toBe(false);
    expect(isSupported(detectServer(replies.redis62.info, null))).toBe(false);
    // Valkey's redis_version (7.2.4) is its compatibility level: supported.
    expect(isSupported(detectServer(replies.valkey80.info, null))).toBe(true);
  });

  it("probeServer asks INFO server and COMMAND INFO, and treats NOPERM on COMMAND as refused", async () => {
    const calls: string[][] = [];
    const client = (command: () => Promise<unknown>) => ({
      info: async () => replies.redis82.info,
      call: async (...args: string[]) => {
        calls.push(args);
        return command();
      },
    });
    expect((await probeServer(client(async () => replies.redis82.commandInfo))).features.ackDel).toBe(true);
    expect(calls[0]).toEqual(["COMMAND", "INFO", "xautoclaim", "xackdel"]);
    const refused = client(async () => {
      throw new Error("NOPERM User streamscope has no permissions to run the 'command|info' command");
    });
    expect((await probeServer(refused)).features.detectedBy).toBe("version");
    const down = client(async () => {
      throw new Error("Connection is closed.");
    });
    await expect(probeServer(down)).rejects.toThrow(/Connection is closed/);
  });
});
