import "server-only";
import { createHash } from "node:crypto";
import calculateSlot from "cluster-key-slot";
import type Redis from "ioredis";
import type { ChainableCommander, Cluster } from "ioredis";
import { isConnectionError } from "./client";
import { isCluster, mastersNow, nodeAddress, type RedisConnection } from "./connection";
import { LuaScript } from "./lua";
import { execWithOneTimer, type PipelineResult } from "./pipeline-exec";

/**
 * Every key-space fan-out goes through this module: SCAN slices and per-key pipelines.
 * Redis Cluster support (scan every master, route pipelines per slot) belongs here only.
 */
export const MAX_SCAN_COUNT = 10_000;

export interface ScanPage {
  keys: string[];
  cursor: string;
}

async function scanKeysPage(
  redis: Redis,
  opts: { cursor: string; match: string; count: number; type?: string },
): Promise<ScanPage> {
  const count = Math.min(Math.max(1, opts.count), MAX_SCAN_COUNT);
  const args: (string | number)[] = [opts.cursor, "MATCH", opts.match, "COUNT", count];
  if (opts.type) args.push("TYPE", opts.type);
  const [cursor, keys] = (await redis.call("SCAN", ...args)) as [string, string[]];
  return { cursor, keys: [...new Set(keys)] };
}

export interface ScanSlice {
  keys: string[];
  /** Where the next slice starts; "0" once the key space has been walked to its end. */
  cursor: string;
  /** True when this slice reached the end of the key space (the next one starts over). */
  wrapped: boolean;
  scanCalls: number;
  /**
   * Cluster only: the masters changed since the cursor was made (failover, resharding, a node
   * added or removed), so the walk of the node it pointed at started over: keys may repeat or be
   * skipped while slots move.
   */
  topologyChanged?: true;
}

type SliceOptions = {
  cursor: string;
  match: string;
  type?: string;
  maxKeys: number;
  count?: number;
  maxPages?: number;
  skip?: (key: string) => boolean;
};

/**
 * The one resumable key-space slice: `SCAN cursor MATCH match COUNT count [TYPE type]` from
 * `cursor` until `maxKeys` keys are collected, the key space ends, or `maxPages` SCAN calls are
 * spent. The cap is soft (up to one page over): a page's keys are never dropped, or the cursor
 * would move past them. Keys for which `skip` is true are not collected (nor counted).
 *
 * On a Redis Cluster the key space is every master's, walked one master after the other in
 * address order; the cursor (`<masters>-<node>-<SCAN cursor>`, opaque to callers) says which
 * master and where, and `<masters>` fingerprints the set of masters it was made for.
 */
export async function scanSlice(redis: RedisConnection, opts: SliceOptions): Promise<ScanSlice> {
  if (isCluster(redis)) return scanClusterSlice(redis, opts);
  const keys = new Set<string>();
  let cursor = opts.cursor;
  let scanCalls = 0;
  const maxPages = opts.maxPages ?? Number.POSITIVE_INFINITY;
  do {
    const page = await scanKeysPage(redis, { cursor, match: opts.match, count: opts.count ?? 1000, type: opts.type });
    scanCalls++;
    for (const k of page.keys) if (!opts.skip?.(k)) keys.add(k);
    cursor = page.cursor;
  } while (cursor !== "0" && keys.size < opts.maxKeys && scanCalls < maxPages);
  return { keys: [...keys], cursor, wrapped: cursor === "0", scanCalls };
}

const CLUSTER_CURSOR = /^([0-9a-f]{8})-(\d{1,5})-(\d{1,20})$/;

function mastersFingerprint(masters: readonly Redis[]): string {
  return createHash("sha1").update(masters.map(nodeAddress).join(",")).digest("hex").slice(0, 8);
}

async function scanClusterSlice(cluster: Cluster, opts: SliceOptions): Promise<ScanSlice> {
  // A walk that ends claims the whole key space, so it starts from every master CLUSTER SLOTS names;
  // its later slices go on over the client's pool (a master lost meanwhile shows as topologyChanged).
  const masters = await mastersNow(cluster, { whole: opts.cursor === "0" });
  const fingerprint = mastersFingerprint(masters);
  let node = 0;
  let cursor = "0";
  let topologyChanged = false;
  if (opts.cursor !== "0") {
    const m = CLUSTER_CURSOR.exec(opts.cursor);
    if (m && m[1] === fingerprint && Number(m[2]) < masters.length) {
      node = Number(m[2]);
      cursor = m[3]!;
    } else {
      node = m ? Math.min(Number(m[2]), masters.length - 1) : 0;
      topologyChanged = true;
    }
  }
  const keys = new Set<string>();
  let scanCalls = 0;
  const maxPages = opts.maxPages ?? Number.POSITIVE_INFINITY;
  do {
    const page = await scanKeysPage(masters[node]!, {
      cursor,
      match: opts.match,
      count: opts.count ?? 1000,
      type: opts.type,
    });
    scanCalls++;
    for (const k of page.keys) if (!opts.skip?.(k)) keys.add(k);
    cursor = page.cursor;
    if (cursor === "0") node++;
  } while (node < masters.length && keys.size < opts.maxKeys && scanCalls < maxPages);
  const wrapped = node >= masters.length;
  return {
    keys: [...keys],
    cursor: wrapped ? "0" : `${fingerprint}-${node}-${cursor}`,
    wrapped,
    scanCalls,
    ...(topologyChanged ? { topologyChanged: true as const } : {}),
  };
}

export interface StoredSlice extends ScanSlice {
  /** Stores where the next slice starts (or forgets the cursor once the key space wrapped). */
  save(): Promise<void>;
}

/**
 * A scanSlice resumed from the cursor stored at `cursorKey`; `save()` stores the new cursor for
 * `ttlMs`, so a caller may save only once its work on the slice is done.
 */
export async function resumeSlice(
  redis: RedisConnection,
  cursorKey: string,
  opts: Omit<SliceOptions, "cursor"> & { ttlMs?: number },
): Promise<StoredSlice> {
  const slice = await scanSlice(redis, { ...opts, cursor: (await redis.get(cursorKey)) ?? "0" });
  return {
    ...slice,
    save: async () => {
      if (slice.wrapped) await redis.del(cursorKey);
      else await redis.set(cursorKey, slice.cursor, "PX", opts.ttlMs ?? 86400_000);
    },
  };
}

/** Walks SCAN from the start until the cursor returns to 0 or `maxKeys` are collected. */
export async function scanAllKeys(
  redis: RedisConnection,
  opts: { match: string; type?: string; maxKeys: number; pageCount?: number },
): Promise<{ keys: string[]; complete: boolean }> {
  const slice = await scanSlice(redis, {
    cursor: "0",
    match: opts.match,
    type: opts.type,
    maxKeys: opts.maxKeys,
    count: opts.pageCount,
  });
  // Keys dropped by the cut make the walk incomplete even when SCAN itself has finished.
  if (slice.keys.length >= opts.maxKeys) {
    return { keys: slice.keys.slice(0, opts.maxKeys), complete: slice.wrapped && slice.keys.length === opts.maxKeys };
  }
  return { keys: slice.keys, complete: true };
}

export type { PipelineResult };

/**
 * Queues `perKey` commands for each key in one pipeline (chunked so no single round trip is
 * unbounded) and returns each key's replies in order. `perKey` is called once per key, in order.
 * On a cluster, each chunk is one pipeline per master, sent straight to the master that serves
 * the key's slot, side by side: ioredis routes a Cluster pipeline by the keys it recognizes, and
 * it recognizes none in `XINFO` or `MEMORY USAGE`. While slots move, a key's replies may be MOVED
 * errors.
 */
export async function pipelineForKeys(
  redis: RedisConnection,
  keys: readonly string[],
  perKey: (pipe: ChainableCommander, key: string) => void,
  chunkSize = 500,
): Promise<PipelineResult[][]> {
  const nodeOf = isCluster(redis) && keys.length > 0 ? await slotMasters(redis) : () => redis;
  const out: PipelineResult[][] = [];
  for (let i = 0; i < keys.length; i += chunkSize) {
    const chunk = keys.slice(i, i + chunkSize);
    const pipes = new Map<RedisConnection, ChainableCommander>();
    const placed: { pipe: ChainableCommander; offset: number; size: number }[] = [];
    for (const key of chunk) {
      const node = nodeOf(key);
      let pipe = pipes.get(node);
      if (!pipe) pipes.set(node, (pipe = node.pipeline()));
      const offset = pipe.length;
      perKey(pipe, key);
      placed.push({ pipe, offset, size: pipe.length - offset });
    }
    const results = new Map<ChainableCommander, PipelineResult[]>();
    await Promise.all([...pipes].map(async ([node, pipe]) => results.set(pipe, await execWithOneTimer(node, pipe))));
    for (const { pipe, offset, size } of placed) out.push(results.get(pipe)!.slice(offset, offset + size));
  }
  return out;
}

/**
 * Keys per PTTL script call: about 0.6 ms inside Redis (1,000 took 1.3 ms here), no longer than
 * Redis takes for one 16 KiB read of a pipeline of the same PTTLs.
 */
export const PTTL_BATCH_KEYS = 500;

const pttlScript = new LuaScript(
  "pttls",
  `#!lua flags=no-writes
local out = {}
for i = 1, #KEYS do out[i] = redis.call('PTTL', KEYS[i]) end
return out`,
  true,
);

/**
 * Connections whose server refused the PTTL script, and when: an ACL without EVALSHA_RO, or a proxy
 * in front of a cluster that refuses keys of several slots in one call. They get plain PTTLs, and
 * the script is tried again after SCRIPT_RETRY_MS (an ACL may be changed without a restart).
 */
const scriptRefusedAt = new WeakMap<RedisConnection, number>();
const SCRIPT_RETRY_MS = 10 * 60_000;

function scriptRefused(redis: RedisConnection): boolean {
  const at = scriptRefusedAt.get(redis);
  return at !== undefined && Date.now() - at < SCRIPT_RETRY_MS;
}

/**
 * Each key's PTTL reply, as a pipeline gives it. On a single server, in script calls of
 * PTTL_BATCH_KEYS keys side by side instead of one PTTL per key: each command costs ioredis a
 * Command, a promise and the conversion of its reply, and the overview's rows read one PTTL per
 * stream (a tenth of the app's CPU for 10,000 streams, bench/overview.ts), while inside Redis the
 * script costs about what the PTTLs cost. A script's keys must share a slot on a cluster, where
 * each key gets its own PTTL, pipelined per master; so does a server that refuses the script.
 */
export async function readPttls(
  redis: RedisConnection,
  keys: readonly string[],
  chunkSize = PTTL_BATCH_KEYS,
): Promise<PipelineResult[]> {
  if (keys.length === 0) return [];
  if (!isCluster(redis) && !scriptRefused(redis)) {
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += chunkSize) chunks.push(keys.slice(i, i + chunkSize));
    try {
      const replies = await Promise.all(chunks.map((chunk) => pttlScript.run(redis, chunk, [])));
      return replies.flatMap((reply, i) =>
        chunks[i]!.map((_, j): PipelineResult => [null, Array.isArray(reply) ? reply[j] : null]),
      );
    } catch (err) {
      if (!(err instanceof Error) || isConnectionError(err)) throw err;
      // Refusals that the next call would get too; any other error falls back for this call only.
      if (/^(NOPERM|CROSSSLOT)|unknown command/i.test(err.message)) scriptRefusedAt.set(redis, Date.now());
    }
  }
  try {
    const replies = await pipelineForKeys(redis, keys, (pipe, key) => pipe.pttl(key));
    return replies.map((r) => r[0] ?? [new Error("no reply"), null]);
  } catch (err) {
    // A TTL is an extra of a stream's row (null when refused): only a lost connection or a failover
    // in progress stops the read, as it stops the XINFO reads beside it.
    if (!(err instanceof Error) || isConnectionError(err)) throw err;
    return keys.map((): PipelineResult => [err, null]);
  }
}

/** The master client serving a key's slot (the Cluster client itself for a slot it does not know). */
async function slotMasters(cluster: Cluster): Promise<(key: string) => RedisConnection> {
  const byAddress = new Map((await mastersNow(cluster)).map((n) => [nodeAddress(n), n]));
  return (key) => byAddress.get(cluster.slots[calculateSlot(key)]?.[0] ?? "") ?? cluster;
}

/** Fields per HSCAN call of readHashInPages: a few hundred KiB of reply at most for small values. */
export const HASH_PAGE_COUNT = 500;

/**
 * A whole hash read in `HSCAN cursor COUNT n` pages instead of one HGETALL, so that no single
 * command grows with the hash (a hash that keeps one field per alert). A field present for the
 * whole walk is read; one added or removed meanwhile may or may not be (HSCAN's guarantee).
 */
export async function readHashInPages(
  redis: RedisConnection,
  key: string,
  count = HASH_PAGE_COUNT,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = "0";
  do {
    const [next, flat] = (await redis.hscan(key, cursor, "COUNT", count)) as [string, string[]];
    for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
    cursor = next;
  } while (cursor !== "0");
  return out;
}
