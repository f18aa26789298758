/** Typed browser client for the trim preview and the safe trim of a stream. */
import { apiFetch, postJson, seg } from "./fetcher";
import type { TrimPreviewResponse, TrimResponse } from "@/lib/contract/trim";

export const trimClient = {
  preview: (key: string) => apiFetch<TrimPreviewResponse>(`/api/streams/${seg(key)}/trim-preview`),
  trim: (key: string) => postJson<TrimResponse>(`/api/streams/${seg(key)}/trim`, {}),
};
