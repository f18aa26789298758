/** Typed browser client for families (streams of one rotation pattern). */
import { apiFetch, seg } from "./fetcher";
import type { FamilyRetentionResponse } from "@/lib/contract/families";

export const familiesClient = {
  retention: (pattern: string) => apiFetch<FamilyRetentionResponse>(`/api/families/${seg(pattern)}/retention`),
};
