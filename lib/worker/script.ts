import "server-only";
import { createHash } from "node:crypto";
import type Redis from "ioredis";

/** A Lua script run by EVALSHA, loaded with EVAL on NOSCRIPT (after a restart or flush). */
export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

export async function runScript(redis: Redis, script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("NOSCRIPT")) {
      return redis.eval(script.source, keys.length, ...keys, ...args);
    }
    throw err;
  }
}
