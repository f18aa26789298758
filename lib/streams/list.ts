import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { Settings } from "@/lib/config/settings";
import type { StreamsListResponse } from "@/lib/contract/streams";
import { isAppKey } from "@/lib/redis/app-keys";
import { scanSlice } from "@/lib/redis/keyspace";
import { describeStreams } from "./rows";
import { readFreshStuckSnapshot } from "./stuck-snapshot";

export const DEFAULT_LIST_COUNT = 1000;

/**
 * One SCAN page of streams (`SCAN cursor MATCH match COUNT count TYPE stream`) as rows, the app's
 * own keys left out. `count` is SCAN's hint: a page may hold fewer or more keys. With `kept`, the
 * stuck counts and oldest pending ids come from the kept stuck snapshot when it is fresh
 * (`stuckAsOf`; ./stuck-snapshot.ts), else live.
 */
export async function listStreams(
  redis: RedisConnection,
  settings: Pick<Settings, "groups">,
  opts: {
    match: string;
    cursor: string;
    count: number;
    visible?: (key: string) => boolean;
    kept?: { maxAgeMs?: number };
  },
): Promise<StreamsListResponse> {
  const [page, kept] = await Promise.all([
    scanSlice(redis, {
      cursor: opts.cursor,
      match: opts.match,
      count: opts.count,
      type: "stream",
      maxKeys: Infinity,
      maxPages: 1,
    }),
    opts.kept ? readFreshStuckSnapshot(redis, opts.kept.maxAgeMs) : null,
  ]);
  const streams = await describeStreams(
    redis,
    page.keys.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true)),
    settings,
    kept,
  );
  return {
    streams,
    cursor: page.cursor,
    ...(kept ? { stuckAsOf: kept.at } : {}),
    ...(page.topologyChanged ? { topologyChanged: true as const } : {}),
  };
}
