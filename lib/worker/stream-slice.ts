import "server-only";
import type Redis from "ioredis";
import { isAppKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, scanKeysPage } from "@/lib/redis/keyspace";
import { parseGroups, type GroupInfo } from "@/lib/streams/xinfo";
import { workerKeys } from "./keys";

/** SCAN pages one job may walk per tick, so a huge key space never makes one tick hog Redis. */
const MAX_PAGES = 50;

export interface StreamSlice {
  keys: string[];
  /** True when this slice reached the end of the key space (the next one starts over). */
  wrapped: boolean;
  scanCalls: number;
}

/**
 * The next streams (at most `max`) for a job, resuming the SCAN cursor the job stored last tick,
 * so that a big key space is covered over several ticks. The app's own keys are left out.
 */
export async function nextStreamSlice(redis: Redis, opts: { job: string; match: string; max: number }): Promise<StreamSlice> {
  const cursorKey = workerKeys.cursor(`${opts.job}:${opts.match}`);
  let cursor = (await redis.get(cursorKey)) ?? "0";
  const keys = new Set<string>();
  let wrapped = false;
  let scanCalls = 0;
  while (scanCalls < MAX_PAGES && keys.size < opts.max) {
    const page = await scanKeysPage(redis, { cursor, match: opts.match, count: 1000, type: "stream" });
    scanCalls++;
    for (const k of page.keys) if (!isAppKey(k)) keys.add(k);
    cursor = page.cursor;
    if (cursor === "0") {
      wrapped = true;
      break;
    }
  }
  // The cap is soft (up to one SCAN page over): keys of a page are never dropped, or the
  // cursor would move past them.
  if (cursor === "0") await redis.del(cursorKey);
  else await redis.set(cursorKey, cursor, "PX", 86400_000);
  return { keys: [...keys], wrapped, scanCalls };
}

/** Each stream's groups (one pipelined XINFO GROUPS per key); streams that vanished are left out. */
export async function groupsOfStreams(redis: Redis, keys: readonly string[]): Promise<{ stream: string; groups: GroupInfo[] }[]> {
  const replies = await pipelineForKeys(redis, keys, (pipe, k) => {
    pipe.call("XINFO", "GROUPS", k);
  });
  return keys.flatMap((stream, i) => {
    const [err, reply] = replies[i]?.[0] ?? [null, null];
    return err ? [] : [{ stream, groups: parseGroups(reply) }];
  });
}
