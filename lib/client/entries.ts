import { apiFetch, seg, withQuery } from "./fetcher";
import type { EntriesQuery, EntriesResponse, SearchQuery, SearchResponse, StreamEntry } from "@/lib/contract/entries";

/** `GET /api/streams/{key}/entries`. */
export function fetchEntries(key: string, query: EntriesQuery = {}): Promise<EntriesResponse> {
  return apiFetch(
    withQuery(`/api/streams/${seg(key)}/entries`, { start: query.start, end: query.end, count: query.count, order: query.order }),
  );
}

/** `GET /api/streams/{key}/search`. */
export function fetchSearch(key: string, query: SearchQuery): Promise<SearchResponse> {
  return apiFetch(
    withQuery(`/api/streams/${seg(key)}/search`, {
      q: query.q,
      field: query.field,
      start: query.start,
      end: query.end,
      order: query.order,
      count: query.count,
      scanLimit: query.scanLimit,
    }),
  );
}

/** `GET /api/streams/{key}/entries/{id}`: one entry whole, values uncut. */
export function fetchEntry(key: string, id: string): Promise<StreamEntry> {
  return apiFetch(`/api/streams/${seg(key)}/entries/${seg(id)}`);
}
