import "server-only";
import { entriesByIdRounds } from "@/lib/streams/entries-by-id";
import type { RedisConnection } from "@/lib/redis/connection";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import {
  ACTION_BATCH,
  REDRIVE_SCAN_BUDGET,
  type ActionItem,
  type DryRunResponse,
  type RedriveBody,
  type RedriveMatchFilter,
  type RedriveMatchingBody,
  type RedriveMatchingResponse,
  type RedriveResponse,
} from "@/lib/contract/pending";
import { AppError } from "@/lib/errors";
import { isAppKey, refuseAppKey } from "@/lib/redis/app-keys";
import { idsAfter, rangePages, rangeReply } from "@/lib/streams/range-pages";
import { assertStream } from "@/lib/streams/assert-stream";
import { chunks, normalizeIds, runBatches, settleLater, tallyOf, type BatchScript, type Tally } from "./batches";
import { atomicity } from "./move";
import { redriveScript } from "./scripts";
import { moveInTwoSteps, movesAtomically, type CopyPlan, type TwoStepMove } from "./two-step";

/** What a dead-lettered entry's metadata says, read up front (its payload is not kept). */
interface DeadLettered {
  origin: string | null;
  reason: string | null;
}

function deadLettered(fields: Buffer[]): DeadLettered {
  let origin: string | null = null;
  let reason: string | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    if (name === DEAD_LETTER_FIELDS.originStream && origin === null) origin = fields[i + 1]!.toString();
    else if (name === DEAD_LETTER_FIELDS.reason && reason === null) reason = fields[i + 1]!.toString();
  }
  return { origin, reason };
}

/**
 * Each entry and the origin stream it names (read up front so the script can declare every key
 * it writes), in rounds of about READ_BYTES. Entries that are gone map to null. No payload is kept:
 * the script copies in Redis, and a two-step move (an origin in another cluster slot) reads its
 * batch's payloads again in rounds (twoStepBatch), so big entries never pile up here.
 */
async function readEntries(
  redis: RedisConnection,
  dlq: string,
  ids: readonly string[],
): Promise<Map<string, DeadLettered | null>> {
  const read = new Map<string, DeadLettered | null>();
  for await (const round of entriesByIdRounds(redis, dlq, ids)) {
    round.replies.forEach((reply, i) => {
      const entry = (reply as [Buffer, Buffer[]][])[0];
      read.set(round.ids[i]!, entry ? deadLettered(entry[1]) : null);
    });
  }
  return read;
}

/**
 * The ids of one batch whose origin is in another slot, moved there in two steps (two-step.ts),
 * their payloads read in rounds of about READ_BYTES (entriesByIdRounds), each round moved before
 * the next is read. An entry gone since it was first read is `deleted`, as the script answers.
 */
async function twoStepBatch(
  redis: RedisConnection,
  dlq: string,
  origin: string,
  ids: readonly string[],
): Promise<ActionItem[]> {
  const type = await redis.type(origin);
  if (type !== "none" && type !== "stream") return ids.map((id) => ({ id, outcome: "skipped" }));
  const move: TwoStepMove = { source: dlq, target: origin, mode: "xdel", group: "", filter: ["", 0, 0] };
  const items: ActionItem[] = [];
  for await (const round of entriesByIdRounds(redis, dlq, ids)) {
    const plans: CopyPlan[] = [];
    round.replies.forEach((reply, i) => {
      const entry = (reply as [Buffer, Buffer[]][])[0];
      if (entry) plans.push({ id: round.ids[i]!, fields: entry[1] });
      else items.push({ id: round.ids[i]!, outcome: "deleted" });
    });
    if (plans.length > 0) items.push(...(await moveInTwoSteps(redis, move, plans)));
  }
  return items;
}

/**
 * One batch (at most ACTION_BATCH ids) back to the origins its entries name: one atomic script
 * call for the origins in the dead-letter stream's slot (every origin on a single server), two
 * steps per origin in another slot (two-step.ts). One item per id, in order.
 */
async function redriveBatch(
  redis: RedisConnection,
  dlq: string,
  batch: readonly string[],
  entries: readonly (DeadLettered | null)[],
): Promise<Tally> {
  const origins = [...new Set(entries.flatMap((e) => (e?.origin != null ? [e.origin] : [])))];
  const items = new Map<string, ActionItem>();
  let twoStep = 0;
  const inSlot = origins.filter((o) => movesAtomically(redis, dlq, o));
  const atomicIds = batch.filter((_, i) => {
    const origin = entries[i]?.origin;
    return origin == null || inSlot.includes(origin);
  });
  if (atomicIds.length > 0) {
    const moved = await settleLater(atomicIds, (open) => redriveScript.runOnce(redis, [dlq, ...inSlot], open));
    for (const item of moved) items.set(item.id, item);
  }
  for (const origin of origins.filter((o) => !inSlot.includes(o))) {
    const ofOrigin = batch.filter((_, i) => entries[i]?.origin === origin);
    for (const item of await twoStepBatch(redis, dlq, origin, ofOrigin)) {
      items.set(item.id, item);
      if (item.outcome === "ok") twoStep += 1;
    }
  }
  return { ...tallyOf(batch.map((id) => items.get(id)!)), twoStep };
}

/** The redrive as a bulk action's script: the entries of each batch come from `read` (then forgotten). */
function redriveBatches(redis: RedisConnection, dlq: string, read: Map<string, DeadLettered | null>): BatchScript {
  return {
    batchSize: ACTION_BATCH,
    run: async (ids) => {
      const entries = ids.map((id) => read.get(id) ?? null);
      for (const id of ids) read.delete(id);
      return redriveBatch(redis, dlq, ids, entries);
    },
  };
}

async function* pagesOf(ids: readonly string[]): AsyncGenerator<string[]> {
  yield* chunks(ids, ACTION_BATCH * 2);
}

/**
 * Moves dead-lettered entries back to their origin stream (fields and streamscope- metadata
 * kept, so delivery counting continues) and deletes them from the dead-letter stream: one
 * atomic script call per batch of at most 500 ids; on a cluster, entries whose origin is in
 * another slot move in two steps (two-step.ts), per origin. Running it twice moves nothing twice.
 */
export async function redrive(
  redis: RedisConnection,
  dlq: string,
  body: RedriveBody,
  /** The caller's stream scope: an origin outside it is refused (403) before anything moves. */
  mayWrite: (key: string) => boolean = () => true,
): Promise<RedriveResponse | DryRunResponse> {
  await assertStream(redis, dlq);
  const ids = normalizeIds(body.ids);
  // Every origin is checked before anything moves: the app's own keys answer 404, as everywhere.
  const read = await readEntries(redis, dlq, ids);
  const found = [...read.values()].flatMap((e) => (e?.origin != null ? [e.origin] : []));
  const origins = [...new Set(found)];
  for (const origin of origins) refuseAppKey(origin);
  if (body.dryRun) return { dryRun: true, matched: found.length };
  const forbidden = origins.find((o) => !mayWrite(o));
  if (forbidden !== undefined)
    throw new AppError("FORBIDDEN", `Redrive would write to "${forbidden}", outside your streams`);
  const tally = await runBatches(pagesOf(ids), redriveBatches(redis, dlq, read), true);
  return {
    redriven: tally.ok,
    skipped: tally.skipped + tally.deleted,
    items: tally.items ?? [],
    ...atomicity(redis, tally),
  };
}

/** Entries per XRANGE page of the matching walk (the cap of every XRANGE page). */
const MATCH_PAGE = 1000;

/** Whether a dead-lettered entry passes a redrive-matching filter (it must name an origin). */
export function matchesRedrive(
  entry: { origin: string | null; reason: string | null },
  f: RedriveMatchFilter,
): boolean {
  if (entry.origin === null) return false;
  if (f.origin !== undefined && entry.origin !== f.origin) return false;
  if (f.reason === undefined) return true;
  if (entry.reason === null) return false;
  return f.reasonMatch === "contains" ? entry.reason.includes(f.reason) : entry.reason === f.reason;
}

/**
 * "Redrive all matching": walks the dead-letter stream from `cursor` in XRANGE pages, at most
 * `scanLimit` entries per request, and moves each page's matches back by the same batches as
 * `redrive`. Entries whose origin is one of the app's keys or outside `mayWrite` are left in place
 * and counted in `skipped`; a filter naming such an origin is refused up front. `more` and
 * `cursor` say where the next request continues.
 */
export async function redriveMatching(
  redis: RedisConnection,
  dlq: string,
  body: RedriveMatchingBody,
  mayWrite: (key: string) => boolean = () => true,
): Promise<RedriveMatchingResponse> {
  await assertStream(redis, dlq);
  const { filter } = body;
  if (filter.origin !== undefined) {
    refuseAppKey(filter.origin);
    if (!mayWrite(filter.origin))
      throw new AppError("FORBIDDEN", `Redrive would write to "${filter.origin}", outside your streams`);
  }
  const budget = body.scanLimit ?? REDRIVE_SCAN_BUDGET;
  const walk = { scanned: 0, matched: 0, outOfReach: 0, more: false, last: null as string | null };
  const read = new Map<string, DeadLettered | null>();

  async function* matchingPages(): AsyncGenerator<string[]> {
    const range = idsAfter(body.cursor ?? null);
    let walked = false;
    // Dead-lettered payloads can be big: pages of about READ_BYTES, as the entries page reads.
    for await (const { reply, end } of rangePages(redis, dlq, range, "asc", () =>
      Math.min(MATCH_PAGE, budget - walk.scanned),
    )) {
      walk.scanned += reply.length;
      walked = end;
      const ids: string[] = [];
      for (const [rawId, fields] of reply) {
        const id = rawId.toString();
        walk.last = id;
        const entry = deadLettered(fields);
        // A copy naming this stream as its origin (a requeued one) has nowhere else to go.
        if (entry.origin === dlq || !matchesRedrive(entry, filter)) continue;
        walk.matched += 1;
        if (isAppKey(entry.origin!) || !mayWrite(entry.origin!)) walk.outOfReach += 1;
        else if (!body.dryRun) {
          read.set(id, entry);
          ids.push(id);
        }
      }
      if (ids.length > 0) yield ids;
    }
    const rest = walked ? null : walk.last === null ? range : idsAfter(walk.last);
    walk.more = rest !== null && (await rangeReply(redis, dlq, rest, "asc", 1)).length > 0;
  }

  const tally = await runBatches(matchingPages(), redriveBatches(redis, dlq, read), false);
  const walked = {
    matched: walk.matched,
    scanned: walk.scanned,
    more: walk.more,
    cursor: walk.more ? walk.last : null,
  };
  if (body.dryRun) return { dryRun: true, ...walked, redriven: 0, skipped: walk.outOfReach };
  return {
    ...walked,
    redriven: tally.ok,
    skipped: walk.outOfReach + tally.skipped + tally.deleted,
    ...atomicity(redis, tally),
  };
}
