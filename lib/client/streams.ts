import { apiFetch, seg, withQuery } from "./fetcher";
import type {
  OverviewSummary,
  StreamDetail,
  StreamRow,
  StreamsListParams,
  StreamsListResponse,
} from "@/lib/contract/streams";

export interface AllStreams {
  streams: StreamRow[];
  /** True when the cap stopped the walk before SCAN's cursor came back to "0". */
  truncated: boolean;
}

export const streamsClient = {
  /** `GET /api/streams`: one SCAN page of stream rows. */
  page: (params: StreamsListParams = {}) =>
    apiFetch<StreamsListResponse>(
      withQuery("/api/streams", { match: params.match, cursor: params.cursor, count: params.count }),
    ),

  /** `GET /api/streams/{key}`. */
  detail: (key: string) => apiFetch<StreamDetail>(`/api/streams/${seg(key)}`),

  /** `GET /api/overview`: summary tiles. */
  summary: (params: { match?: string } = {}) =>
    apiFetch<OverviewSummary>(withQuery("/api/overview", { match: params.match })),

  /** Walks every SCAN page (cursor back to "0") up to `cap` rows; SCAN may repeat a key, kept once. */
  async all(params: { match?: string; cap: number; count?: number }): Promise<AllStreams> {
    const byKey = new Map<string, StreamRow>();
    let cursor = "0";
    do {
      const page = await streamsClient.page({ match: params.match, cursor, count: params.count });
      for (const row of page.streams) byKey.set(row.key, row);
      cursor = page.cursor;
      if (byKey.size >= params.cap && cursor !== "0") {
        return { streams: [...byKey.values()].slice(0, params.cap), truncated: true };
      }
    } while (cursor !== "0");
    return { streams: [...byKey.values()], truncated: false };
  },

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
