import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { StreamEntry } from "@/lib/contract/entries";
import { TAIL_HEARTBEAT_MS, TAIL_MAX_PER_EVENT, type TailEntriesEvent, type TailReadyEvent } from "@/lib/contract/tail";
import type { AppError } from "@/lib/errors";
import { readEntries } from "./entries";
import { compareIds } from "@/lib/contract/ids";
import { subscribe, type Subscription, type TailBatch } from "./tail";

/** Bytes a slow client may leave unread before batches are dropped (and counted as skipped). */
const MAX_UNREAD_BYTES = 2 * 1024 * 1024;
/** Batches that arrive while the catch-up read runs. */
const MAX_EARLY_BATCHES = 10;

const encoder = new TextEncoder();

function sseEvent(event: string, data: unknown, id?: string): Uint8Array {
  return encoder.encode(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The live tail of `key` as an SSE response: joins the stream's shared loop (lib/streams/tail.ts),
 * sends the newest entries after `from` first when given, then each batch. Ends when the client
 * goes away (`req.signal`, or the body is cancelled) or the loop fails (a `tail-error` event).
 * Throws before answering for a missing key, another type or the instance's tail limits.
 */
export async function tailResponse(
  req: Request,
  redis: RedisConnection,
  key: string,
  from: string | undefined,
): Promise<Response> {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let closed = false;
  let lastSent = "0-0";
  let dropped = 0;
  const early: TailBatch[] = [];
  let live = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let failure: AppError | null = null;
  const holder: { subscription?: Subscription } = {};

  const send = (chunk: Uint8Array): boolean => {
    if (closed || !controller) return false;
    if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) return false;
    controller.enqueue(chunk);
    return true;
  };

  const sendEntries = (entries: StreamEntry[], skipped: number | null) => {
    const fresh = entries.filter((e) => compareIds(e.id, lastSent) > 0);
    const last = fresh[fresh.length - 1];
    if (!last) return;
    const body: TailEntriesEvent = { entries: fresh, skipped: skipped === null ? null : skipped + dropped };
    if (send(sseEvent("entries", body, last.id))) {
      dropped = 0;
      lastSent = last.id;
    } else {
      dropped += fresh.length + (skipped ?? 0);
    }
  };

  const subscription = await subscribe(key, {
    onBatch(batch) {
      if (!live) {
        if (early.length >= MAX_EARLY_BATCHES) dropped += early.shift()!.entries.length;
        early.push(batch);
        return;
      }
      sendEntries(batch.entries, batch.skipped);
    },
    onError(err: AppError) {
      if (closed) return;
      if (!controller) {
        failure = err;
        return;
      }
      send(sseEvent("tail-error", err.toBody()));
      close();
    },
  });

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    holder.subscription?.unsubscribe();
    req.signal.removeEventListener("abort", close);
    try {
      controller?.close();
    } catch {
      /* already closed or errored */
    }
  }

  holder.subscription = subscription;
  const position = subscription.position;
  let catchUp: { entries: StreamEntry[]; skipped: number | null } = { entries: [], skipped: 0 };
  try {
    if (from && compareIds(from, position) < 0) {
      const page = await readEntries(redis, key, {
        start: position,
        end: `(${from}`,
        order: "desc",
        count: TAIL_MAX_PER_EVENT,
      });
      catchUp = { entries: page.entries.reverse(), skipped: page.next ? null : 0 };
    }
  } catch (err) {
    subscription.unsubscribe();
    throw err;
  }

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (req.signal.aborted) return close();
        req.signal.addEventListener("abort", close);
        c.enqueue(encoder.encode(`retry: 3000\n\n`));
        c.enqueue(sseEvent("ready", { position } satisfies TailReadyEvent));
        if (failure) {
          c.enqueue(sseEvent("tail-error", failure.toBody()));
          return close();
        }
        sendEntries(catchUp.entries, catchUp.skipped);
        lastSent = position;
        live = true;
        for (const batch of early.splice(0)) sendEntries(batch.entries, batch.skipped);
        heartbeat = setInterval(() => send(encoder.encode(": heartbeat\n\n")), TAIL_HEARTBEAT_MS);
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: a compressing proxy must not buffer the events.
      "cache-control": "no-store, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
