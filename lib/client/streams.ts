import { apiFetch, seg, withQuery } from "./fetcher";
import type { OverviewSummary, StreamDetail, StreamRow, StreamsListParams, StreamsListResponse } from "@/lib/contract/streams";

/** `GET /api/streams`: one SCAN page of stream rows. */
export function fetchStreamsPage(params: StreamsListParams = {}): Promise<StreamsListResponse> {
  return apiFetch(withQuery("/api/streams", { match: params.match, cursor: params.cursor, count: params.count }));
}

/** `GET /api/streams/{key}`. */
export function fetchStream(key: string): Promise<StreamDetail> {
  return apiFetch(`/api/streams/${seg(key)}`);
}

/** `GET /api/overview`: summary tiles. */
export function fetchOverviewSummary(params: { match?: string } = {}): Promise<OverviewSummary> {
  return apiFetch(withQuery("/api/overview", { match: params.match }));
}

export interface AllStreams {
  streams: StreamRow[];
  /** True when the cap stopped the walk before SCAN's cursor came back to "0". */
  truncated: boolean;
}

/** Walks every SCAN page (cursor back to "0") up to `cap` rows; SCAN may repeat a key, kept once. */
export async function fetchAllStreams(params: { match?: string; cap: number; count?: number }): Promise<AllStreams> {
  const byKey = new Map<string, StreamRow>();
  let cursor = "0";
  do {
    const page = await fetchStreamsPage({ match: params.match, cursor, count: params.count });
    for (const row of page.streams) byKey.set(row.key, row);
    cursor = page.cursor;
    if (byKey.size >= params.cap && cursor !== "0") {
      return { streams: [...byKey.values()].slice(0, params.cap), truncated: true };
    }
  } while (cursor !== "0");
  return { streams: [...byKey.values()], truncated: false };
}
