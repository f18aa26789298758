import { apiFetch, seg, withQuery } from "./fetcher";
import type { EntriesQuery, EntriesResponse, SearchQuery, SearchResponse, StreamEntry } from "@/lib/contract/entries";

export const entriesClient = {
  /** `GET /api/streams/{key}/entries`. */
  page: (key: string, query: EntriesQuery = {}) =>
    apiFetch<EntriesResponse>(
      withQuery(`/api/streams/${seg(key)}/entries`, {
        start: query.start,
        end: query.end,
        count: query.count,
        order: query.order,
        groups: query.groups?.join(","),
      }),
    ),
  /** `GET /api/streams/{key}/search`. */
  search: (key: string, query: SearchQuery) =>
    apiFetch<SearchResponse>(
      withQuery(`/api/streams/${seg(key)}/search`, {
        q: query.q,
        field: query.field,
        start: query.start,
        end: query.end,
        order: query.order,
        count: query.count,
        scanLimit: query.scanLimit,
        groups: query.groups?.join(","),
      }),
    ),
  /** `GET /api/streams/{key}/entries/{id}`: one entry whole, values uncut. */
  one: (key: string, id: string) => apiFetch<StreamEntry>(`/api/streams/${seg(key)}/entries/${seg(id)}`),
};
