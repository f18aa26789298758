import type { AlertState, AlertsResponse, EvaluateResponse, SilenceResponse } from "@/lib/contract/alerts";
import { apiFetch, postJson, seg, withQuery } from "./fetcher";

export const alertsClient = {
  list: (state?: AlertState) => apiFetch<AlertsResponse>(withQuery("/api/alerts", { state })),
  /** `forMs` 0 lifts the silence. */
  silence: (id: string, forMs: number) => postJson<SilenceResponse>(`/api/alerts/${seg(id)}/silence`, { forMs }),
  evaluate: () => postJson<EvaluateResponse>("/api/alerts/evaluate", {}),
};
