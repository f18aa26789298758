import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { ACTION_BATCH, type ActionItem, type ItemOutcome, type PendingFilter } from "@/lib/contract/pending";
import { badRequest } from "@/lib/errors";
import { filterCursor, matchesFilter, pelCursor, pelPages, readPelPages } from "@/lib/pending/pel";
import { normalizeId } from "@/lib/contract/ids";

/**
 * The one path of a bulk action: resolve the targets (named ids, or the PEL entries matching a
 * filter, paged by the PEL pager) -> batches of at most ACTION_BATCH ids -> one script call per
 * batch -> one Tally. Each script re-checks per id, atomically, that the id is still pending
 * (and still matches the filter), so repeated or concurrent requests touch each message once.
 */

/** What a script call, or a whole action, did. `items` (one per id) only for `{ids}` targets. */
export interface Tally {
  ok: number;
  skipped: number;
  deleted: number;
  /** Of `ok`, moves done in two steps (target in another cluster slot, two-step.ts). */
  twoStep?: number;
  items?: ActionItem[];
}

/** An action's script, called once per batch. */
export interface BatchScript {
  /**
   * Ids per call, at most ACTION_BATCH: small enough that no call keeps Redis busy for long (each
   * id costs a few commands inside the script); the calls of one page are sent together.
   */
  batchSize: number;
  /** One script call; with `detail`, the tally carries one item per id. */
  run(ids: string[], detail: boolean): Promise<Tally>;
}

/**
 * What an action acts on: the named `ids` (each reported back) when given, else every pending
 * entry in the filter's range. Either way only entries still pending and passing `filter` are
 * acted on: dry runs count with it and every script call re-checks it per id.
 */
export interface Targets {
  ids?: readonly string[];
  filter: PendingFilter;
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

/**
 * One script call over `ids`, then others over the ids it answered `later` (it stopped at its entry
 * bytes, scripts.ts), until every id has its outcome. `call` answers the flat `[outcome, to, ...]`
 * reply; the items come in the order of `ids`.
 */
export async function settleLater(
  ids: readonly string[],
  call: (ids: string[]) => Promise<unknown>,
): Promise<ActionItem[]> {
  const items = new Map<string, ActionItem>();
  let open = [...ids];
  while (open.length > 0) {
    const reply = await call(open);
    const flat = Array.isArray(reply) ? reply : [];
    const later = open.filter((_, i) => String(flat[2 * i]) === "later");
    // A call reads at least one entry before it stops, so each call settles at least one id.
    if (later.length === open.length) throw new Error("a script call left every id for later");
    const laterSet = new Set(later);
    for (const item of toItems(open, reply)) if (!laterSet.has(item.id)) items.set(item.id, item);
    open = later;
  }
  return ids.map((id) => items.get(id)!);
}

export function tallyOf(items: ActionItem[]): Tally {
  const t: Tally = { ok: 0, skipped: 0, deleted: 0, items };
  for (const item of items) t[item.outcome] += 1;
  return t;
}

/** Script arguments re-checking the filter per id inside the script ('' / 0 = no condition). */
export function filterArgs(filter: PendingFilter): [string, number, number] {
  return [filter.consumer ?? "", filter.minIdleMs ?? 0, filter.minDeliveries ?? 0];
}

/**
 * The target ids, a page at a time: named ids in pages of 2 × ACTION_BATCH; for a filter, the
 * matching ids of each PEL page. The next PEL page is read while the caller acts on this one.
 */
export async function* targetPages(
  redis: RedisConnection,
  stream: string,
  group: string,
  targets: Targets,
): AsyncGenerator<string[]> {
  if (targets.ids) {
    yield* chunks(normalizeIds(targets.ids), ACTION_BATCH * 2);
    return;
  }
  const { filter } = targets;
  const pages = pelPages(redis, filterCursor(stream, group, filter));
  // The read-ahead may fail before it is awaited (or never be awaited when a batch fails), so it
  // carries a handler from the start.
  const readAhead = () => {
    const next = pages.next();
    next.catch(() => undefined);
    return next;
  };
  let next = readAhead();
  for (;;) {
    const page = await next;
    if (page.done) return;
    next = readAhead();
    yield page.value.filter((r) => matchesFilter(r, filter)).map((r) => r.id);
  }
}

/** How a background run reports, stops and paces itself: see runBatches. */
export interface BatchControl {
  /** Called after each round of batches with the running tally (cumulative). */
  onProgress?: (tally: Tally) => void | Promise<void>;
  /**
   * Checked before each round of batches (and between the slices of a paced wait): true stops the
   * run there. A batch is one atomic script call, so a stopped run leaves no message half-done.
   */
  shouldStop?: () => boolean | Promise<boolean>;
  /** At most this many targets (ok + skipped + deleted) a second: the run waits when ahead. */
  pacePerSecond?: number;
}

/** Longest sleep of a paced wait between two stop checks. */
export const PACE_SLICE_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Before a round: waits, a slice at a time, while `handled` is ahead of the pace since `started`;
 * true as soon as the run is asked to stop.
 */
async function stopBeforeRound(control: BatchControl, started: number, handled: number): Promise<boolean> {
  const pace = control.pacePerSecond;
  for (;;) {
    if (control.shouldStop && (await control.shouldStop())) return true;
    const aheadMs = pace ? (handled / pace) * 1000 - (Date.now() - started) : 0;
    if (aheadMs <= 0) return false;
    await sleep(Math.min(aheadMs, PACE_SLICE_MS));
  }
}

/**
 * Runs the script over every target: the batches of a page together, a page at a time (with a
 * pace, rounds of at most a slice's worth of targets, so a low pace advances steadily). With
 * `control`, reports after each round and may stop before the next; `stopped` tells whether it did.
 */
export async function runBatches(
  pages: AsyncIterable<string[]>,
  script: BatchScript,
  detail: boolean,
  control: BatchControl = {},
): Promise<Tally & { stopped?: true }> {
  const tally: Tally & { stopped?: true } = { ok: 0, skipped: 0, deleted: 0, ...(detail ? { items: [] } : {}) };
  const pace = control.pacePerSecond;
  const round = pace ? Math.max(1, Math.floor((pace * PACE_SLICE_MS) / 1000)) : Infinity;
  const batchSize = Math.min(script.batchSize, ACTION_BATCH, round);
  const started = Date.now();
  pages: for await (const page of pages) {
    for (const ids of page.length > round ? chunks(page, round) : [page]) {
      if (await stopBeforeRound(control, started, tally.ok + tally.skipped + tally.deleted)) {
        tally.stopped = true;
        break pages;
      }
      const results = await Promise.all(chunks(ids, batchSize).map((batch) => script.run(batch, detail)));
      for (const r of results) {
        tally.ok += r.ok;
        tally.skipped += r.skipped;
        tally.deleted += r.deleted;
        if (r.twoStep) tally.twoStep = (tally.twoStep ?? 0) + r.twoStep;
        if (tally.items && r.items) tally.items.push(...r.items);
      }
      if (control.onProgress) await control.onProgress(tally);
    }
  }
  return tally;
}

/**
 * The dry run: how many targets are pending now and pass the filter. Named ids are looked up as
 * one-id PEL pages (pipelined); a filter counts the matches of the PEL pages an action acts on.
 */
export async function countTargets(
  redis: RedisConnection,
  stream: string,
  group: string,
  targets: Targets,
): Promise<number> {
  let matched = 0;
  if (!targets.ids) {
    for await (const ids of targetPages(redis, stream, group, targets)) matched += ids.length;
    return matched;
  }
  for (const batch of chunks(normalizeIds(targets.ids))) {
    const rows = await readPelPages(
      redis,
      batch.map((id) => ({ cursor: pelCursor(stream, group, { start: id, end: id }), count: 1 })),
    );
    for (const [row] of rows) if (row && matchesFilter(row, targets.filter)) matched += 1;
  }
  return matched;
}
