import { apiFetch, postJson } from "./fetcher";
import type { SettingsResponse, SettingsUpdate } from "@/lib/contract/settings";

export const settingsClient = {
  get: () => apiFetch<SettingsResponse>("/api/settings"),
  save: (update: SettingsUpdate) => postJson<SettingsResponse>("/api/settings", update, "PUT"),
};
