/**
 * The live tail of a stream: `GET /api/streams/{key}/tail?from=<id>`, Server-Sent Events.
 *
 * Events (each `data:` is one JSON line):
 *   `ready`      `{position}`: the id the tail starts after (entries above it follow).
 *   `entries`    `{entries, skipped}`, with `id:` set to the last entry's id (a reconnecting
 *                EventSource sends it back as Last-Event-ID and continues from there).
 *                `entries` have the entries route's shape (ordered field pairs, `{base64}` for
 *                binary values, per-group states as of sending). `skipped` counts entries added
 *                before these that were not sent because the producer outran the limits (at most
 *                `TAIL_MAX_PER_EVENT` per event and about 200 per second); null when an unknown
 *                number older than `from` was left out.
 *   `tail-error` `{error: {code, message}}`, then the stream ends (key deleted: NOT_FOUND; no
 *                longer a stream: WRONG_TYPE; REDIS_UNAVAILABLE).
 * Comment lines (`: heartbeat`) every 15 s keep proxies from closing an idle connection.
 * `from` (or Last-Event-ID): also send the newest entries after this id that were added before
 * the tail started (at most `TAIL_MAX_PER_EVENT`).
 */
import { z } from "zod";
import type { StreamEntry } from "./entries";
import { isValidId, normalizeId } from "./ids";

/** A full id to tail after (`from`, or the Last-Event-ID header), normalised to `ms-seq`. */
export const tailFromSchema = z
  .string()
  .max(64)
  .refine(isValidId, "must be a stream id (ms-seq)")
  .transform(normalizeId);
export const tailQuerySchema = z.object({ from: tailFromSchema.optional() });

export interface TailReadyEvent {
  position: string;
}

export interface TailEntriesEvent {
  entries: StreamEntry[];
  skipped: number | null;
}

export const TAIL_MAX_PER_EVENT = 100;
export const TAIL_HEARTBEAT_MS = 15_000;
