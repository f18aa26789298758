import "server-only";
import { createHash } from "node:crypto";
import type Redis from "ioredis";

/** A Lua script run by EVALSHA, loaded with EVAL the first time a server has not seen it. */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number | Buffer)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("NOSCRIPT")) {
        // Load once, then run by sha (batches sent together would otherwise each EVAL the source).
        await redis.script("LOAD", this.source);
        return redis.evalsha(this.sha, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }
}
