import { apiFetch, seg, withQuery } from "./fetcher";
import type {
  OverviewSummary,
  StreamDetail,
  StreamsListParams,
  StreamsListResponse,
  StreamsPageParams,
} from "@/lib/contract/streams";

export const streamsClient = {
  /** `GET /api/streams`: one SCAN page of stream rows. */
  page: (params: StreamsListParams = {}) =>
    apiFetch<StreamsListResponse>(
      withQuery("/api/streams", { match: params.match, cursor: params.cursor, count: params.count }),
    ),

  /**
   * `GET /api/streams?offset=`: a page of the stream index (`index` says how far discovery got).
   * An answer cut at the server's byte limit (`index.next`, long keys) is followed by requests for
   * the rest, so the page holds every row asked for.
   */
  async indexPage(params: StreamsPageParams): Promise<StreamsListResponse> {
    const ask = (offset: number, count?: number) =>
      apiFetch<StreamsListResponse>(
        withQuery("/api/streams", { match: params.match, offset, count, node: params.node, order: params.order }),
      );
    const first = await ask(params.offset, params.count);
    if (!first.index || first.index.next === undefined) return first;
    const end = params.offset + first.index.count;
    const streams = [...first.streams];
    for (let next: number | undefined = first.index.next; next !== undefined && next < end;) {
      const rest = await ask(next, end - next);
      streams.push(...rest.streams);
      next = rest.index?.next;
    }
    const index = { ...first.index };
    delete index.next;
    return { ...first, streams, index };
  },

  /** `GET /api/streams/{key}`. */
  detail: (key: string) => apiFetch<StreamDetail>(`/api/streams/${seg(key)}`),

  /** `GET /api/overview`: summary tiles. */
  summary: (params: { match?: string; node?: string } = {}) =>
    apiFetch<OverviewSummary>(withQuery("/api/overview", { match: params.match, node: params.node })),

  /**
   * The names of a stream's groups, from its detail, and how many groups it has (the detail lists
   * at most 1,000). Used by the requeue confirmation: on a stream read by several groups the copy
   * reaches every group. Null when the answer has none.
   */
  async groupNames(key: string): Promise<{ names: string[]; total: number } | null> {
    const detail = await streamsClient.detail(key);
    if (!Array.isArray(detail.groups)) return null;
    const names = detail.groups.map((g) => (typeof g.name === "string" ? g.name : "")).filter(Boolean);
    return { names, total: Math.max(names.length, detail.groupCount ?? 0) };
  },
};
