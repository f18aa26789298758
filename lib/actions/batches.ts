import "server-only";
import type Redis from "ioredis";
import { ACTION_BATCH, type ActionItem, type ItemOutcome, type PendingFilter } from "@/lib/contract/pending";
import { badRequest } from "@/lib/errors";
import { normalizeId } from "@/lib/streams/ids";
import { scanPel, type PelChunk } from "@/lib/pending/scan";
import { parsePendingRange } from "@/lib/streams/xinfo";

/** Outcome counts of an action; `items` only for `{ids}` requests. */
export interface Tally {
  ok: number;
  skipped: number;
  deleted: number;
  items?: ActionItem[];
}

/** Canonical `ms-seq` ids, duplicates dropped (a script must never see an id twice). */
export function normalizeIds(ids: readonly string[]): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    try {
      out.add(normalizeId(id));
    } catch {
      throw badRequest(`Not a stream id: ${JSON.stringify(id)}`);
    }
  }
  return [...out];
}

/**
 * Ids per script call. Well under ACTION_BATCH (500) so that no single call keeps Redis busy
 * for long (each id costs a few lookups inside the script); the calls of one PEL page are sent
 * together, so throughput does not suffer.
 */
export const SCRIPT_BATCH = 100;

export function chunks<T>(list: readonly T[], size = ACTION_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** A script's flat `[outcome, to, ...]` reply as items for the ids it was given. */
export function toItems(ids: readonly string[], reply: unknown): ActionItem[] {
  const flat = Array.isArray(reply) ? reply : [];
  return ids.map((id, i) => {
    const outcome = String(flat[2 * i] ?? "skipped") as ItemOutcome;
    const to = flat[2 * i + 1];
    const item: ActionItem = { id, outcome };
    if (typeof to === "string" && to !== "") item.to = to;
    else if (Buffer.isBuffer(to) && to.length > 0) item.to = to.toString();
    return item;
  });
}

/** What one batch call did: counts, and per-id items when the call reports them. */
export interface BatchResult {
  ok: number;
  skipped: number;
  deleted: number;
  items?: ActionItem[];
}

export function fromItems(items: ActionItem[]): BatchResult {
  const r: BatchResult = { ok: 0, skipped: 0, deleted: 0, items };
  for (const item of items) r[item.outcome] += 1;
  return r;
}

export type BatchRunner = ((ids: string[], detail: boolean) => Promise<BatchResult>) & {
  /** Ids per call when the runner's script does more per id than SCRIPT_BATCH allows for. */
  batchSize?: number;
};

function add(t: Tally, r: BatchResult): void {
  t.ok += r.ok;
  t.skipped += r.skipped;
  t.deleted += r.deleted;
  if (t.items && r.items) t.items.push(...r.items);
}

/** Sends the batches of one group of ids together (one round trip), keeping their order. */
async function runBatches(ids: readonly string[], run: BatchRunner, detail: boolean, tally: Tally): Promise<void> {
  const results = await Promise.all(chunks(ids, run.batchSize ?? SCRIPT_BATCH).map((batch) => run(batch, detail)));
  for (const r of results) add(tally, r);
}

/** Runs a batch function over named ids, keeping every item. */
export async function runOnIds(ids: readonly string[], run: BatchRunner): Promise<Tally> {
  const tally: Tally = { ok: 0, skipped: 0, deleted: 0, items: [] };
  for (const group of chunks(normalizeIds(ids), ACTION_BATCH * 2)) await runBatches(group, run, true, tally);
  return tally;
}

/**
 * Runs a batch function over every PEL entry matching the filter: pages the PEL in bounded
 * chunks and acts on each page's matches in script calls of SCRIPT_BATCH ids. The next page is
 * read while a page's batches run. Counts only (no items).
 */
export async function runOnFilter(
  redis: Redis,
  stream: string,
  group: string,
  filter: PendingFilter,
  run: BatchRunner,
): Promise<Tally> {
  const tally: Tally = { ok: 0, skipped: 0, deleted: 0 };
  const pages = scanPel(redis, stream, group, filter);
  // The next page is read while this page's batches run: it may fail before it is awaited (or
  // never be awaited when a batch fails), so it carries a handler from the start.
  const prefetch = (): Promise<IteratorResult<PelChunk>> => {
    const next = pages.next();
    next.catch(() => undefined);
    return next;
  };
  let next = prefetch();
  for (;;) {
    const page = await next;
    if (page.done) break;
    next = prefetch();
    await runBatches(
      page.value.matched.map((r) => r.id),
      run,
      false,
      tally,
    );
  }
  return tally;
}

/** How many of the named ids are pending now (and pass the filter): the `{ids}` dry run. */
export async function countPendingIds(
  redis: Redis,
  stream: string,
  group: string,
  ids: readonly string[],
  filter: PendingFilter = {},
): Promise<number> {
  let matched = 0;
  for (const batch of chunks(normalizeIds(ids))) {
    const pipe = redis.pipeline();
    for (const id of batch) pipe.call("XPENDING", stream, group, id, id, 1);
    for (const [err, reply] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      const row = parsePendingRange(reply)[0];
      if (!row) continue;
      if (filter.consumer !== undefined && row.consumer !== filter.consumer) continue;
      if (filter.minIdleMs !== undefined && row.idleMs < filter.minIdleMs) continue;
      if (filter.minDeliveries !== undefined && row.deliveries < filter.minDeliveries) continue;
      matched += 1;
    }
  }
  return matched;
}

/** How many PEL entries match the filter: the `{filter}` dry run (bounded chunks). */
export async function countFilterMatches(redis: Redis, stream: string, group: string, filter: PendingFilter): Promise<number> {
  let matched = 0;
  for await (const chunk of scanPel(redis, stream, group, filter)) matched += chunk.matched.length;
  return matched;
}

/** Script arguments re-checking the filter per id inside the script ('' / 0 = no condition). */
export function filterArgs(filter: PendingFilter): [string, number, number] {
  return [filter.consumer ?? "", filter.minIdleMs ?? 0, filter.minDeliveries ?? 0];
}
