import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { ScanSlice } from "@/lib/redis/keyspace";
import { nextStreams, readStreams, streamsOnly } from "@/lib/streams/snapshot";
import type { GroupInfo } from "@/lib/streams/xinfo";
import { workerKeys } from "./keys";

/** SCAN pages one job may walk per tick, so a huge key space never makes one tick hog Redis. */
const MAX_PAGES = 50;

export type StreamSlice = Omit<ScanSlice, "cursor">;

/** Where a job's rolling walk keeps its SCAN cursor (absent: the next slice starts at the beginning). */
export function sliceCursorKey(job: string, match: string): string {
  return workerKeys.cursor(`${job}:${match}`);
}

/**
 * The next streams (at most `max`, softly) for a job, resuming the SCAN cursor the job stored
 * last tick, so that a big key space is covered over several ticks. The app's own keys are left out.
 */
export async function nextStreamSlice(
  redis: RedisConnection,
  opts: { job: string; match: string; max: number },
): Promise<StreamSlice> {
  const slice = await nextStreams(redis, sliceCursorKey(opts.job, opts.match), {
    match: opts.match,
    max: opts.max,
    count: 1000,
    maxPages: MAX_PAGES,
  });
  await slice.save();
  return { keys: slice.keys, wrapped: slice.wrapped, scanCalls: slice.scanCalls };
}

/** Each stream's groups (one pipelined XINFO GROUPS per key); streams gone or no longer streams are left out. */
export async function groupsOfStreams(
  redis: RedisConnection,
  keys: readonly string[],
): Promise<{ stream: string; groups: GroupInfo[] }[]> {
  return streamsOnly(await readStreams(redis, keys, { groups: true })).map((r) => ({
    stream: r.key,
    groups: r.groups!,
  }));
}
