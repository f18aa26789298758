"use client";
import { useEffect, useRef, useState } from "react";
import type { StreamEntry } from "@/lib/contract/entries";
import { entriesClient } from "@/lib/client/entries";
import { ApiError } from "@/lib/client/fetcher";
import { tailUrl } from "@/lib/client/tail";
import type { TailEntriesEvent, TailReadyEvent } from "@/lib/contract/tail";
import type { ErrorBody } from "@/lib/errors";
import { pollQuery } from "./live-tail-buffer";

export type LiveMode = "connecting" | "live" | "polling" | "stopped";

/** EventSource errors in a row (without an event between) before falling back to polling. */
const MAX_SSE_FAILURES = 3;
/** No `ready` event this long after opening: something in between buffers the stream. */
const READY_TIMEOUT_MS = 5000;
const POLL_MS = 2000;

/**
 * New entries of a stream as they are added: Server-Sent Events from the tail route, or polling
 * the entries route when SSE does not get through (errors repeatedly, refused, or buffered by a
 * proxy). `onEntries` gets each batch oldest first; `skipped` as in TailEntriesEvent. Runs while
 * mounted: mount it only while the tail is on.
 */
export function useLiveTail(
  streamKey: string,
  onEntries: (entries: StreamEntry[], skipped: number | null) => void,
): { mode: LiveMode; error: string | null } {
  const [mode, setMode] = useState<LiveMode>("connecting");
  const [error, setError] = useState<string | null>(null);
  const callback = useRef(onEntries);
  useEffect(() => {
    callback.current = onEntries;
  }, [onEntries]);

  useEffect(() => {
    let cancelled = false;
    let lastId: string | undefined;
    let failures = 0;
    let source: EventSource | null = null;
    let poll: ReturnType<typeof setInterval> | undefined;

    const stop = (message: string) => {
      source?.close();
      clearInterval(poll);
      setMode("stopped");
      setError(message);
    };

    const pollOnce = async () => {
      try {
        const page = await entriesClient.page(streamKey, pollQuery(lastId));
        if (cancelled) return;
        setError(null);
        const newest = page.entries[0];
        if (lastId === undefined) lastId = newest?.id ?? "0-0";
        // Said once the first poll has fixed where new entries start.
        setMode("polling");
        if (lastId === newest?.id) return;
        if (!newest) return;
        lastId = newest.id;
        callback.current([...page.entries].reverse(), page.next ? null : 0);
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && (err.code === "NOT_FOUND" || err.code === "WRONG_TYPE")) stop(err.message);
        else setError(err instanceof Error ? err.message : String(err));
      }
    };

    const startPolling = () => {
      if (cancelled || poll !== undefined) return;
      source?.close();
      clearTimeout(readyTimer);
      void pollOnce();
      poll = setInterval(() => void pollOnce(), POLL_MS);
    };

    source = new EventSource(tailUrl(streamKey));
    const readyTimer = setTimeout(startPolling, READY_TIMEOUT_MS);
    source.addEventListener("ready", (e) => {
      clearTimeout(readyTimer);
      failures = 0;
      const data = JSON.parse((e as MessageEvent<string>).data) as TailReadyEvent;
      lastId ??= data.position;
      setMode("live");
      setError(null);
    });
    source.addEventListener("entries", (e) => {
      failures = 0;
      const data = JSON.parse((e as MessageEvent<string>).data) as TailEntriesEvent;
      const last = data.entries[data.entries.length - 1];
      if (last) lastId = last.id;
      callback.current(data.entries, data.skipped);
    });
    source.addEventListener("tail-error", (e) => {
      const body = JSON.parse((e as MessageEvent<string>).data) as ErrorBody;
      if (body.error.code === "NOT_FOUND" || body.error.code === "WRONG_TYPE") stop(body.error.message);
      else {
        setError(body.error.message);
        startPolling();
      }
    });
    source.onerror = () => {
      if (cancelled || poll !== undefined) return;
      failures += 1;
      // CLOSED: the server refused (not 200, not an event stream); the browser will not retry.
      if (source?.readyState === EventSource.CLOSED || failures >= MAX_SSE_FAILURES) startPolling();
      else setMode("connecting");
    };

    return () => {
      cancelled = true;
      source?.close();
      clearInterval(poll);
      clearTimeout(readyTimer);
    };
  }, [streamKey]);

  return { mode, error };
}
