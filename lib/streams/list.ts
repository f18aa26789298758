import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { Settings } from "@/lib/config/settings";
import type { StreamOrder, StreamsListResponse } from "@/lib/contract/streams";
import { isAppKey } from "@/lib/redis/app-keys";
import { scanSlice } from "@/lib/redis/keyspace";
import { isCluster } from "@/lib/redis/connection";
import { describeStreams } from "./rows";
import { streamIndexFor } from "./stream-index";
import { problemsFirstKept } from "./problem-order";
import { readFreshStuckSnapshot, readStuckSnapshotState } from "./stuck-snapshot";

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

/**
 * A page of the stream index (./stream-index.ts): `count` rows from `offset` among the indexed
 * streams under `match` (and on `node`), whatever the size of the key space, in key order or, with
 * `order: "problems"` and a fresh kept stuck snapshot, problems first (./problem-order.ts; without
 * one, key order and `index.orderFallback` says why). Only the page's keys are read. While the
 * first pass runs, the page is taken from what it has found so far (`index.discovering`). A key
 * found gone or no longer a stream by the read leaves the index and the page quietly. On a cluster
 * each row says its master (`node`).
 */
export async function listIndexedStreams(
  redis: RedisConnection,
  settings: Pick<Settings, "groups">,
  opts: {
    match: string;
    offset: number;
    count: number;
    node?: string;
    order?: StreamOrder;
    visible?: (key: string) => boolean;
    kept?: { maxAgeMs?: number };
  },
): Promise<StreamsListResponse> {
  const index = streamIndexFor(redis);
  const problems = opts.order === "problems";
  const [, state] = await Promise.all([
    index.refresh(),
    opts.kept || problems ? readStuckSnapshotState(redis, opts.kept?.maxAgeMs) : null,
  ]);
  // Ordered by the snapshot, the rows' stuck counts come from it too, so that the two agree.
  const kept = state?.snapshot ?? null;
  const visible = opts.visible;
  const all = index.select(opts.match, opts.node);
  const selected = visible ? all.filter(visible) : all;
  const ordered = problems && kept !== null;
  const keys = ordered ? problemsFirstKept(selected, kept, settings.groups) : selected;
  const page = keys.slice(opts.offset, opts.offset + opts.count);
  const rows = await describeStreams(redis, page, settings, kept);
  const found = new Set(rows.map((r) => r.key));
  for (const key of page) if (!found.has(key)) index.forget(key);
  const cluster = isCluster(redis);
  if (cluster) for (const row of rows) row.node = index.nodeOf(row.key) ?? "";
  const discovery = index.discovery();
  return {
    streams: rows,
    cursor: "0",
    ...(kept ? { stuckAsOf: kept.at } : {}),
    ...(discovery.topologyChanged ? { topologyChanged: true as const } : {}),
    index: {
      offset: opts.offset,
      count: opts.count,
      order: ordered ? "problems" : "key",
      ...(problems && state?.unused ? { orderFallback: state.unused } : {}),
      ...(ordered && kept.partial ? { orderPartial: kept.partial } : {}),
      total: keys.length - (page.length - found.size),
      exact: !discovery.discovering,
      discovering: discovery.discovering,
      scanned: discovery.scanned,
      about: discovery.about,
      lastPassAt: discovery.lastPassAt,
      lastPassMs: discovery.lastPassMs,
      notifications: discovery.notifications,
      ...(cluster ? { nodes: index.nodes() } : {}),
    },
  };
}

/**
 * The indexed streams under `match` (and on `node`) for the overview's tiles: the keys, and whether they are all
 * of them (a full pass has ended). Walks like a page request does, within the same budget.
 */
export async function indexedKeys(
  redis: RedisConnection,
  match: string,
  node?: string,
): Promise<{ keys: readonly string[]; complete: boolean }> {
  const index = streamIndexFor(redis);
  await index.refresh();
  return { keys: index.select(match, node), complete: !index.discovery().discovering };
}
