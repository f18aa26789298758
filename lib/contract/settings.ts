/** Request and response shapes of /api/settings, shared by the route, the client and the page. */
import type { z } from "zod";
import type {
  alertsSchema,
  familySchema,
  groupRuleSchema,
  historySchema,
  workerSettingsSchema,
} from "@/lib/contract/config";

export type SettingSource = "default" | "file" | "saved";
export type EditableSection = "families" | "groups" | "alerts" | "history" | "worker";
export const EDITABLE_SECTION_NAMES: readonly EditableSection[] = ["families", "groups", "alerts", "history", "worker"];

export interface EffectiveSettings {
  families: z.infer<typeof familySchema>[];
  groups: z.infer<typeof groupRuleSchema>[];
  alerts: z.infer<typeof alertsSchema>;
  history: z.infer<typeof historySchema>;
  worker: z.infer<typeof workerSettingsSchema>;
}

export interface SettingsResponse {
  settings: EffectiveSettings;
  /** Where each section comes from (the saved edit of a section replaces it whole). */
  sections: Record<EditableSection, SettingSource>;
  /** Where each value comes from: "families", "groups", "alerts.webhooks", "worker.guardWindowMs"... */
  sources: Record<string, SettingSource>;
}

/** PUT body: sections to save (each replaces the saved section whole) and sections to reset to the file's values. */
export interface SettingsUpdate {
  set?: Partial<Record<EditableSection, unknown>>;
  reset?: EditableSection[];
}
