import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import type { ActionItem, DryRunResponse, RedriveBody, RedriveResponse } from "@/lib/contract/pending";
import { AppError } from "@/lib/errors";
import { refuseAppKey } from "@/lib/redis/app-keys";
import { assertStream } from "@/lib/streams/assert-stream";
import { chunks, normalizeIds, toItems } from "./batches";
import { atomicity } from "./move";
import { redriveScript } from "./scripts";
import { moveInTwoSteps, movesAtomically } from "./two-step";

/** A dead-lettered entry as read up front: its fields as they are and the origin they name. */
interface DeadLettered {
  fields: Buffer[];
  origin: string | null;
}

/**
 * Each entry and the origin stream it names (read up front so the script can declare every key
 * it writes). Entries that are gone map to null.
 */
async function readEntries(
  redis: RedisConnection,
  dlq: string,
  ids: readonly string[],
): Promise<(DeadLettered | null)[]> {
  const pipe = redis.pipeline();
  for (const id of ids) pipe.xrangeBuffer(dlq, id, id, "COUNT", 1);
  const replies = (await pipe.exec()) ?? [];
  return replies.map(([err, reply]) => {
    if (err) throw err;
    const entry = (reply as [Buffer, Buffer[]][])[0];
    if (!entry) return null;
    const fields = entry[1];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i]!.toString() === DEAD_LETTER_FIELDS.originStream)
        return { fields, origin: fields[i + 1]!.toString() };
    }
    return { fields, origin: null };
  });
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
  const plans: { batch: string[]; entries: (DeadLettered | null)[]; origins: string[] }[] = [];
  let matched = 0;
  for (const batch of chunks(ids)) {
    const entries = await readEntries(redis, dlq, batch);
    const found = entries.flatMap((e) => (e?.origin != null ? [e.origin] : []));
    matched += found.length;
    const origins = [...new Set(found)];
    for (const origin of origins) refuseAppKey(origin);
    plans.push({ batch, entries, origins });
  }
  if (body.dryRun) return { dryRun: true, matched };
  const result: RedriveResponse = { redriven: 0, skipped: 0, items: [], ...atomicity(redis, {}) };
  for (const { batch, entries, origins } of plans) {
    const forbidden = origins.find((o) => !mayWrite(o));
    if (forbidden !== undefined)
      throw new AppError("FORBIDDEN", `Redrive would write to "${forbidden}", outside your streams`);
    const items = new Map<string, ActionItem>();
    const inSlot = origins.filter((o) => movesAtomically(redis, dlq, o));
    const atomicIds = batch.filter((_, i) => {
      const origin = entries[i]?.origin;
      return origin == null || inSlot.includes(origin);
    });
    if (atomicIds.length > 0) {
      const reply = await redriveScript.runOnce(redis, [dlq, ...inSlot], atomicIds);
      for (const item of toItems(atomicIds, reply)) items.set(item.id, item);
    }
    for (const origin of origins.filter((o) => !inSlot.includes(o))) {
      const ofOrigin = batch.flatMap((id, i) =>
        entries[i]?.origin === origin ? [{ id, fields: entries[i]!.fields }] : [],
      );
      const type = await redis.type(origin);
      const moved =
        type === "none" || type === "stream"
          ? await moveInTwoSteps(
              redis,
              { source: dlq, target: origin, mode: "xdel", group: "", filter: ["", 0, 0] },
              ofOrigin,
            )
          : ofOrigin.map(({ id }): ActionItem => ({ id, outcome: "skipped" }));
      for (const item of moved) {
        items.set(item.id, item);
        if (item.outcome === "ok") result.twoStep = (result.twoStep ?? 0) + 1;
      }
    }
    for (const id of batch) {
      const item = items.get(id)!;
      if (item.outcome === "ok") result.redriven += 1;
      else result.skipped += 1;
      result.items.push(item);
    }
  }
  if (result.twoStep) result.atomic = false;
  return result;
}
