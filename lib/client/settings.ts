import { apiFetch, postJson } from "./fetcher";
import type { SettingsResponse, SettingsUpdate } from "@/lib/contract/settings";

export function fetchSettings(): Promise<SettingsResponse> {
  return apiFetch<SettingsResponse>("/api/settings");
}

export function saveSettings(update: SettingsUpdate): Promise<SettingsResponse> {
  return postJson<SettingsResponse>("/api/settings", update, "PUT");
}
