/**
 * The one Lua runner (lib/redis/lua.ts): scripts run by sha and survive a server that forgot
 * them, their error replies come back as AppErrors, a recorded call leaves its record.
 */
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { appKey } from "@/lib/redis/app-keys";
import { CALL_RECORD_TTL_MS, LuaScript, RecordedScript } from "@/lib/redis/lua";
import { moveScript, redriveScript } from "@/lib/actions/scripts";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("lua");

afterAll(async () => {
  await cleanPrefix(redis, prefix);
});

describe("LuaScript", () => {
  it("runs again after SCRIPT FLUSH (NOSCRIPT loads it)", async () => {
    const echo = new LuaScript(`echo-${prefix}`, `return {KEYS[1], ARGV[1]}`);
    expect(await echo.run(redis, [`${prefix}k`], ["a"])).toEqual([`${prefix}k`, "a"]);
    await redis.script("FLUSH");
    expect(await echo.run(redis, [`${prefix}k`], ["b"])).toEqual([`${prefix}k`, "b"]);
    expect(await redis.script("EXISTS", echo.sha)).toEqual([1]);
  });

  it("answers Redis's own error reply from run, an AppError from runRetrying", async () => {
    const refuse = new LuaScript("refuse", `return redis.error_reply('NOTFOUND no stream named ' .. KEYS[1])`);
    await expect(refuse.run(redis, [`${prefix}gone`], [])).rejects.toThrow(`NOTFOUND no stream named ${prefix}gone`);
    const err = await refuse.runRetrying(redis, [`${prefix}gone`], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "NOT_FOUND", status: 404, message: `No stream named ${prefix}gone` });
    const wrong = new LuaScript("wrong", `return redis.call('XLEN', KEYS[1])`);
    await redis.set(`${prefix}str`, "x");
    await expect(wrong.runRetrying(redis, [`${prefix}str`], [])).rejects.toMatchObject({
      code: "WRONG_TYPE",
      status: 409,
    });
  });
});

describe("RecordedScript", () => {
  it("records its reply under a one-off key, for a while", async () => {
    const incr = new RecordedScript("incr", "", `return redis.call('INCR', KEYS[1])`);
    expect(await incr.runOnce(redis, [`${prefix}n`], [])).toBe(1);
    const records = await redis.keys(`${appKey("batch")}:*`);
    const ttls = await Promise.all(records.map((r) => redis.pttl(r)));
    expect(ttls.some((t) => t > 0 && t <= CALL_RECORD_TTL_MS)).toBe(true);
  });
});

describe("dead-letter metadata", () => {
  it("the action scripts write and read the field names of the contract", () => {
    for (const name of Object.values(DEAD_LETTER_FIELDS)) expect(moveScript.source).toContain(`'${name}'`);
    expect(redriveScript.source).toContain(`'${DEAD_LETTER_FIELDS.originStream}'`);
  });
});
