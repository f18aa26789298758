import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { Settings } from "@/lib/config/settings";
import type { StreamOrder, StreamsIndexInfo, StreamsListResponse } from "@/lib/contract/streams";
import { isAppKey } from "@/lib/redis/app-keys";
import { scanSlice } from "@/lib/redis/keyspace";
import { isCluster } from "@/lib/redis/connection";
import { describeStreams } from "./rows";
import { streamIndexFor } from "./stream-index";
import { problemsFirstKept } from "./problem-order";
import { readFreshStuckSnapshot, readStuckSnapshotState } from "./stuck-snapshot";
import { answerBudget } from "./answer-limits";
import { countWithin, envelopeBytes, rowBytes, rowBytesOf } from "./list-budget";

export const DEFAULT_LIST_COUNT = 1000;
/** SCAN's COUNT per call of a cursor page: a `count` above it is walked in several calls. */
export const SCAN_CALL_COUNT = 1000;
/** The longest cursor an answer may carry (a cluster's `<masters>-<node>-<u64>`). */
const LONGEST_CURSOR = "ffffffff-99999-18446744073709551615";

/**
 * A page of streams from a SCAN cursor (`SCAN cursor MATCH match COUNT ≤ SCAN_CALL_COUNT TYPE
 * stream`, calls until about `count` slots are walked) as rows, the app's own keys left out.
 * `count` is SCAN's hint: a page may hold fewer or more keys. The page stops early, at a call's
 * end, where one more call's rows would take the answer past ANSWER_LIMIT_BYTES; when the first
 * call's alone would, it is asked again from the same cursor for fewer slots (down to one). With
 * `kept`, the stuck counts and oldest pending ids come from the kept stuck snapshot when it is
 * fresh (`stuckAsOf`; ./stuck-snapshot.ts), else live.
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
    scanWithin(
      redis,
      opts,
      answerBudget() - envelopeBytes({ cursor: LONGEST_CURSOR, stuckAsOf: Date.now(), topologyChanged: true }),
    ),
    opts.kept ? readFreshStuckSnapshot(redis, opts.kept.maxAgeMs) : null,
  ]);
  const streams = await describeStreams(redis, page.keys, settings, kept);
  return {
    streams,
    cursor: page.cursor,
    ...(kept ? { stuckAsOf: kept.at } : {}),
    ...(page.topologyChanged ? { topologyChanged: true as const } : {}),
  };
}

/** The keys of a cursor page (see listStreams): SCAN calls until `count` slots, the end, or `budget` bytes of rows. */
async function scanWithin(
  redis: RedisConnection,
  opts: { match: string; cursor: string; count: number; visible?: (key: string) => boolean },
  budget: number,
): Promise<{ keys: string[]; cursor: string; topologyChanged?: true }> {
  const keys: string[] = [];
  let cursor = opts.cursor;
  let bytes = 0;
  let walked = 0;
  let topologyChanged = false;
  while (walked < opts.count) {
    let slots = Math.min(SCAN_CALL_COUNT, opts.count - walked);
    for (;;) {
      const slice = await scanSlice(redis, {
        cursor,
        match: opts.match,
        count: slots,
        type: "stream",
        maxKeys: Infinity,
        maxPages: 1,
      });
      const found = slice.keys.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true));
      const added = found.reduce((n, k) => n + rowBytes(k), 0);
      if (bytes + added > budget) {
        // The cursor stays before this call: its keys come on the next page, none is lost.
        if (keys.length > 0) return { keys, cursor, ...(topologyChanged ? { topologyChanged: true as const } : {}) };
        if (slots > 1) {
          slots = Math.max(1, slots >> 1);
          continue;
        }
      }
      keys.push(...found);
      bytes += added;
      walked += slots;
      cursor = slice.cursor;
      topologyChanged ||= slice.topologyChanged === true;
      break;
    }
    if (cursor === "0" || bytes >= budget) break;
  }
  return { keys, cursor, ...(topologyChanged ? { topologyChanged: true as const } : {}) };
}

/**
 * A page of the stream index (./stream-index.ts): `count` rows from `offset` among the indexed
 * streams under `match` (and on `node`), whatever the size of the key space, in key order or, with
 * `order: "problems"` and a fresh kept stuck snapshot, problems first (./problem-order.ts; without
 * one, key order and `index.orderFallback` says why). Only the page's keys are read, and only as
 * many as fit in ANSWER_LIMIT_BYTES (`index.next` then says where the rest starts). While the
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
  const cluster = isCluster(redis);
  const nodeOf = (key: string) => (cluster ? (index.nodeOf(key) ?? "") : undefined);
  const info = (total: number, next?: number): StreamsIndexInfo => {
    const discovery = index.discovery();
    return {
      offset: opts.offset,
      count: opts.count,
      ...(next !== undefined ? { next } : {}),
      order: ordered ? "problems" : "key",
      ...(problems && state?.unused ? { orderFallback: state.unused } : {}),
      ...(ordered && kept.partial ? { orderPartial: kept.partial } : {}),
      total,
      exact: !discovery.discovering,
      discovering: discovery.discovering,
      scanned: discovery.scanned,
      about: discovery.about,
      lastPassAt: discovery.lastPassAt,
      lastPassMs: discovery.lastPassMs,
      notifications: discovery.notifications,
      ...(cluster ? { nodes: index.nodes() } : {}),
    };
  };
  const head = (): Omit<StreamsListResponse, "streams"> => ({
    cursor: "0",
    ...(kept ? { stuckAsOf: kept.at } : {}),
    ...(index.discovery().topologyChanged ? { topologyChanged: true as const } : {}),
  });
  const budget = answerBudget() - envelopeBytes({ ...head(), index: info(keys.length, opts.offset + opts.count) });
  const fit = countWithin(page, budget, (key) => rowBytes(key, nodeOf(key)));
  const rows = await describeStreams(redis, page.slice(0, fit), settings, kept);
  const found = new Set(rows.map((r) => r.key));
  const gone = page.slice(0, fit).filter((key) => !found.has(key));
  for (const key of gone) index.forget(key);
  if (cluster) for (const row of rows) row.node = nodeOf(row.key);
  // Poison marks name a group: the rows that no longer fit with theirs move to the next answer.
  const fitting = countWithin(rows, budget, rowBytesOf);
  const end = fitting < rows.length ? page.indexOf(rows[fitting]!.key) : fit;
  // The next answer starts where this one ended, in the index less the keys it forgot.
  const goneBefore = page.slice(0, end).filter((key) => !found.has(key)).length;
  return {
    ...head(),
    streams: fitting < rows.length ? rows.slice(0, fitting) : rows,
    index: info(keys.length - gone.length, end < page.length ? opts.offset + end - goneBefore : undefined),
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
