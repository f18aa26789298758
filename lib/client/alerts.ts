import type { AlertState, AlertsResponse, EvaluateResponse, SilenceResponse } from "@/lib/contract/alerts";
import { apiFetch, postJson, seg, withQuery } from "./fetcher";

export function fetchAlerts(state?: AlertState): Promise<AlertsResponse> {
  return apiFetch<AlertsResponse>(withQuery("/api/alerts", { state }));
}

/** `forMs` 0 lifts the silence. */
export function silenceAlert(id: string, forMs: number): Promise<SilenceResponse> {
  return postJson<SilenceResponse>(`/api/alerts/${seg(id)}/silence`, { forMs });
}

export function evaluateAlertsNow(): Promise<EvaluateResponse> {
  return postJson<EvaluateResponse>("/api/alerts/evaluate", {});
}
