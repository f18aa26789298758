import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import type { DryRunResponse, RedriveBody, RedriveResponse } from "@/lib/contract/pending";
import { AppError } from "@/lib/errors";
import { refuseAppKey } from "@/lib/redis/app-keys";
import { assertStream } from "@/lib/streams/assert-stream";
import { chunks, normalizeIds, toItems } from "./batches";
import { redriveScript } from "./scripts";

/**
 * The origin stream each dead-lettered entry names (read up front so the script can declare
 * every key it writes). Entries that are gone or carry no origin map to nothing.
 */
async function readOrigins(redis: RedisConnection, dlq: string, ids: readonly string[]): Promise<(string | null)[]> {
  const pipe = redis.pipeline();
  for (const id of ids) pipe.xrangeBuffer(dlq, id, id, "COUNT", 1);
  const replies = (await pipe.exec()) ?? [];
  return replies.map(([err, reply]) => {
    if (err) throw err;
    const entry = (reply as [Buffer, Buffer[]][])[0];
    const fields = entry?.[1] ?? [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i]!.toString() === DEAD_LETTER_FIELDS.originStream) return fields[i + 1]!.toString();
    }
    return null;
  });
}

/**
 * Moves dead-lettered entries back to their origin stream (fields and streamscope- metadata
 * kept, so delivery counting continues) and deletes them from the dead-letter stream: one
 * atomic script call per batch of at most 500 ids. Running it twice moves nothing twice.
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
  const plans: { batch: string[]; origins: string[] }[] = [];
  let matched = 0;
  for (const batch of chunks(ids)) {
    const found = (await readOrigins(redis, dlq, batch)).filter((o): o is string => o !== null);
    matched += found.length;
    const origins = [...new Set(found)];
    for (const origin of origins) refuseAppKey(origin);
    plans.push({ batch, origins });
  }
  if (body.dryRun) return { dryRun: true, matched };
  const result: RedriveResponse = { redriven: 0, skipped: 0, items: [] };
  for (const { batch, origins } of plans) {
    const forbidden = origins.find((o) => !mayWrite(o));
    if (forbidden !== undefined)
      throw new AppError("FORBIDDEN", `Redrive would write to "${forbidden}", outside your streams`);
    const reply = await redriveScript.runOnce(redis, [dlq, ...origins], batch);
    for (const item of toItems(batch, reply)) {
      if (item.outcome === "ok") result.redriven += 1;
      else result.skipped += 1;
      result.items.push(item);
    }
  }
  return result;
}
