import type { HistoryRange, HistoryResponse, PendingProfileResponse, RatesResponse } from "@/lib/contract/history";
import { apiFetch, seg, withQuery } from "./fetcher";

export function fetchStreamHistory(key: string, range: HistoryRange): Promise<HistoryResponse> {
  return apiFetch<HistoryResponse>(withQuery(`/api/streams/${seg(key)}/history`, { range }));
}

export function fetchGroupHistory(key: string, group: string, range: HistoryRange): Promise<HistoryResponse> {
  return apiFetch<HistoryResponse>(withQuery(`/api/streams/${seg(key)}/groups/${seg(group)}/history`, { range }));
}

export function fetchPendingProfile(key: string, group: string): Promise<PendingProfileResponse> {
  return apiFetch<PendingProfileResponse>(`/api/streams/${seg(key)}/groups/${seg(group)}/pending-profile`);
}

/** At most 200 keys per call (the route's bound). */
export function fetchRates(keys: readonly string[]): Promise<RatesResponse> {
  const qs = keys.map((k) => `key=${encodeURIComponent(k)}`).join("&");
  return apiFetch<RatesResponse>(`/api/history/rates?${qs}`);
}
