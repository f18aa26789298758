import "server-only";
import type { RedisConnection } from "./connection";
import type { ChainableCommander } from "ioredis";

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
  redis: RedisConnection,
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
}

/**
 * The one resumable key-space slice: `SCAN cursor MATCH match COUNT count [TYPE type]` from
 * `cursor` until `maxKeys` keys are collected, the key space ends, or `maxPages` SCAN calls are
 * spent. The cap is soft (up to one page over): a page's keys are never dropped, or the cursor
 * would move past them. Keys for which `skip` is true are not collected (nor counted).
 */
export async function scanSlice(
  redis: RedisConnection,
  opts: {
    cursor: string;
    match: string;
    type?: string;
    maxKeys: number;
    count?: number;
    maxPages?: number;
    skip?: (key: string) => boolean;
  },
): Promise<ScanSlice> {
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
  opts: Omit<Parameters<typeof scanSlice>[1], "cursor"> & { ttlMs?: number },
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

export type PipelineResult = [Error | null, unknown];

/**
 * Queues `perKey` commands for each key in one pipeline (chunked so no single round trip is
 * unbounded) and returns each key's replies in order.
 */
export async function pipelineForKeys(
  redis: RedisConnection,
  keys: readonly string[],
  perKey: (pipe: ChainableCommander, key: string) => void,
  chunkSize = 500,
): Promise<PipelineResult[][]> {
  const out: PipelineResult[][] = [];
  for (let i = 0; i < keys.length; i += chunkSize) {
    const chunk = keys.slice(i, i + chunkSize);
    const pipe = redis.pipeline();
    const sizes: number[] = [];
    for (const key of chunk) {
      const before = pipe.length;
      perKey(pipe, key);
      sizes.push(pipe.length - before);
    }
    const results = ((await pipe.exec()) ?? []) as PipelineResult[];
    let offset = 0;
    for (const size of sizes) {
      out.push(results.slice(offset, offset + size));
      offset += size;
    }
  }
  return out;
}
