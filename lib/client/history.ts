import type { HistoryRange, HistoryResponse, PendingProfileResponse, RatesResponse } from "@/lib/contract/history";
import { apiFetch, seg, withQuery } from "./fetcher";

export const historyClient = {
  stream: (key: string, range: HistoryRange) =>
    apiFetch<HistoryResponse>(withQuery(`/api/streams/${seg(key)}/history`, { range })),
  group: (key: string, group: string, range: HistoryRange) =>
    apiFetch<HistoryResponse>(withQuery(`/api/streams/${seg(key)}/groups/${seg(group)}/history`, { range })),
  pendingProfile: (key: string, group: string) =>
    apiFetch<PendingProfileResponse>(`/api/streams/${seg(key)}/groups/${seg(group)}/pending-profile`),
  /** At most 200 keys per call (the route's bound). */
  rates: (keys: readonly string[]) =>
    apiFetch<RatesResponse>(`/api/history/rates?${keys.map((k) => `key=${encodeURIComponent(k)}`).join("&")}`),
};
