import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { mastersOf, type RedisConnection } from "@/lib/redis/connection";
import { appKey } from "./app-keys";
import { translated } from "./errors";
import { retryOnConnectionLoss } from "./retry";
import { sameSlotTag } from "./slots";

type ScriptArg = string | number | Buffer;

/**
 * A Lua script run by EVALSHA; a server that has not seen it (first call, restart, SCRIPT FLUSH)
 * answers NOSCRIPT and gets it by SCRIPT LOAD, then the call is sent again by sha.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
    /**
     * Sent as EVALSHA_RO: for a script that only reads (declared `#!lua flags=no-writes`). An ACL
     * that may only read the keys (`%R~`) refuses EVALSHA, which counts its keys as written.
     */
    readonly readOnly = false,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /** One call; an error is Redis's reply as it is (the worker reports it as Redis wrote it). */
  async run(
    redis: RedisConnection,
    keys: readonly string[],
    args: readonly ScriptArg[],
    replies: "text" | "buffers" = "text",
  ): Promise<unknown> {
    const command = this.readOnly ? "EVALSHA_RO" : "EVALSHA";
    const call = () =>
      replies === "buffers"
        ? redis.callBuffer(command, this.sha, keys.length, ...keys, ...args)
        : this.readOnly
          ? redis.call(command, this.sha, keys.length, ...keys, ...args)
          : redis.evalsha(this.sha, keys.length, ...keys, ...args);
    try {
      return await call();
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("NOSCRIPT")) {
        // Load once, then run by sha (batches sent together would otherwise each EVAL the source).
        await this.load(redis);
        return call();
      }
      throw err;
    }
  }

  /** SCRIPT LOAD, once for the calls that found the script missing together. */
  private load(redis: RedisConnection): Promise<void> {
    let loading = this.loading.get(redis);
    if (!loading) {
      loading = loadScript(redis, this.source).finally(() => this.loading.delete(redis));
      this.loading.set(redis, loading);
    }
    return loading;
  }

  private readonly loading = new WeakMap<RedisConnection, Promise<void>>();

  /** A read-only call (nothing to record) answered with strings as Buffers (binary-safe values). */
  runReadingBuffers(redis: RedisConnection, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    return translated(() => retryOnConnectionLoss(() => this.run(redis, keys, args, "buffers"), this.name));
  }

  /**
   * One call for a request: re-sent after a lost connection (bounded by the command timeout),
   * errors answered as AppErrors (lib/redis/errors.ts). Only for a script that finds out by
   * itself that it already ran (a record key among its KEYS).
   */
  runRetrying(redis: RedisConnection, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    return translated(() => retryOnConnectionLoss(() => this.run(redis, keys, args), this.name));
  }
}

/**
 * SCRIPT LOAD has no key: on a cluster it would reach one arbitrary node, so every master of the
 * client's pool gets it. The pool is enough: the client reaches a node only through its pool, so the
 * master that answered NOSCRIPT is in it, and a master missing from it loads the script on its own
 * first NOSCRIPT.
 */
async function loadScript(redis: RedisConnection, source: string): Promise<void> {
  await Promise.all(mastersOf(redis).map((node) => node.script("LOAD", source)));
}

/**
 * How long a recorded call's reply is kept: longer than a call and its re-sends can take (each
 * bounded by REDIS_COMMAND_TIMEOUT_MS, at most 20 s).
 */
export const CALL_RECORD_TTL_MS = 60_000;

/**
 * An app key (`<prefix><kind>:{<tag>}:<parts>`) in the same cluster slot as `beside`, so that a
 * script or MULTI may touch both (on a single server the tag changes nothing).
 */
export function keyBeside(beside: string, kind: string, ...parts: string[]): string {
  return appKey(kind, `{${sameSlotTag(beside)}}`, ...parts);
}

/**
 * A script that changes data and may be called again after a lost reply. Each call gets a
 * one-off record key (`<prefix>batch:{<tag>}:<uuid>` in the slot of the script's first key, passed
 * as KEYS[1] ahead of the script's own keys):
 * in the same atomic run the script stores its reply there (for CALL_RECORD_TTL_MS), and a call
 * that finds the record answers it instead of acting again. So a call whose connection dropped
 * is re-sent with the same key: it acts if it never ran, and reports what it did if it ran.
 * The body sees its own keys as KEYS[1..] and returns its reply (error replies are not recorded).
 */
export class RecordedScript extends LuaScript {
  constructor(name: string, prelude: string, body: string) {
    super(
      name,
      `${prelude}
local call_record = KEYS[1]
local recorded = redis.call('GET', call_record)
if recorded then return cjson.decode(recorded) end
local own_keys = {}
for i = 2, #KEYS do own_keys[#own_keys + 1] = KEYS[i] end
local function act(KEYS)
${body}
end
local reply = act(own_keys)
if type(reply) == 'table' and reply.err then return reply end
redis.call('SET', call_record, cjson.encode(reply), 'PX', ${CALL_RECORD_TTL_MS})
return reply
`,
    );
  }

  /**
   * One call under a fresh record key, re-sent with that key after a lost connection (as
   * runRetrying). Every key must be in one cluster slot: the record goes beside `keys[0]`.
   */
  runOnce(redis: RedisConnection, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    return this.runRetrying(redis, [keyBeside(keys[0] ?? "", "batch", randomUUID()), ...keys], args);
  }
}
