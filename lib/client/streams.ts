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

  /** `GET /api/streams?offset=`: a page of the stream index (`index` says how far discovery got). */
  indexPage: (params: StreamsPageParams) =>
    apiFetch<StreamsListResponse>(
      withQuery("/api/streams", {
        match: params.match,
        offset: params.offset,
        count: params.count,
        node: params.node,
        order: params.order,
      }),
    ),

  /** `GET /api/streams/{key}`. */
  detail: (key: string) => apiFetch<StreamDetail>(`/api/streams/${seg(key)}`),

  /** `GET /api/overview`: summary tiles. */
  summary: (params: { match?: string; node?: string } = {}) =>
    apiFetch<OverviewSummary>(withQuery("/api/overview", { match: params.match, node: params.node })),

  /**
   * The names of a stream's groups, from its detail. Used by the requeue confirmation: on a
   * stream read by several groups the copy reaches every group. Null when the answer has none.
   */
  async groupNames(key: string): Promise<string[] | null> {
    const detail = await streamsClient.detail(key);
    if (!Array.isArray(detail.groups)) return null;
    return detail.groups.map((g) => (typeof g.name === "string" ? g.name : "")).filter(Boolean);
  },
};
