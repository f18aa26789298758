"use client";
import { useState } from "react";
import { ErrorState, TableSkeleton } from "@/components/ui/states";
import type { SettingsResponse } from "@/lib/contract/settings";
import { useSettings } from "@/lib/hooks/use-settings";
import { FamiliesEditor } from "./families-editor";
import { ObjectEditor } from "./object-editor";
import { RulesEditor } from "./rules-editor";
import { SectionCard } from "./section-card";
import { JsonSectionEditor } from "./json-section-editor";
import {
  draftToFamily,
  draftToObject,
  draftToRule,
  familyToDraft,
  jsonToDraft,
  objectToDraft,
  parseJsonDraft,
  ruleToDraft,
  type FamilyDraft,
  type RuleDraft,
} from "./settings-form";

interface Drafts {
  families: FamilyDraft[];
  groups: RuleDraft[];
  worker: Record<string, string>;
  history: Record<string, string>;
  alerts: string;
}

function draftsOf(data: SettingsResponse): Drafts {
  return {
    families: data.settings.families.map(familyToDraft),
    groups: data.settings.groups.map(ruleToDraft),
    worker: objectToDraft(data.settings.worker),
    history: objectToDraft(data.settings.history),
    alerts: jsonToDraft(data.settings.alerts),
  };
}

export function SettingsView() {
  const query = useSettings();
  const [state, setState] = useState<{ base: string; drafts: Drafts } | null>(null);
  const serverJson = query.data ? JSON.stringify(draftsOf(query.data)) : "";
  // Take the server's values when they change (first load, after a save), not on every refetch.
  if (query.data && (!state || state.base !== serverJson)) {
    setState({ base: serverJson, drafts: draftsOf(query.data) });
  }

  if (query.isPending) return <TableSkeleton label="Loading settings" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!state) return null;
  const drafts = state.drafts;
  const setDrafts = (next: Drafts) => setState({ ...state, drafts: next });
  const baseDrafts = JSON.parse(state.base) as Drafts;
  const dirty = (section: keyof Drafts) => JSON.stringify(drafts[section]) !== JSON.stringify(baseDrafts[section]);
  const update = <K extends keyof Drafts>(section: K, value: Drafts[K]) => setDrafts({ ...drafts, [section]: value });
  const resync = () => undefined;
  const { sections, sources } = query.data;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-slate-600">
          Built-in defaults, overridden by the config file, overridden by edits saved here (in Redis). Auth comes from
          the config file only.
        </p>
      </div>
      <SectionCard
        section="families"
        title="Families"
        source={sections.families}
        dirty={dirty("families")}
        value={() => drafts.families.map(draftToFamily)}
        onSaved={resync}
      >
        <FamiliesEditor drafts={drafts.families} onChange={(v) => update("families", v)} />
      </SectionCard>
      <SectionCard
        section="groups"
        title="Group rules"
        source={sections.groups}
        dirty={dirty("groups")}
        value={() => drafts.groups.map(draftToRule)}
        onSaved={resync}
      >
        <RulesEditor drafts={drafts.groups} onChange={(v) => update("groups", v)} />
      </SectionCard>
      <SectionCard
        section="worker"
        title="Worker"
        source={sections.worker}
        dirty={dirty("worker")}
        value={() => draftToObject(drafts.worker)}
        onSaved={resync}
      >
        <ObjectEditor section="worker" draft={drafts.worker} sources={sources} onChange={(v) => update("worker", v)} />
      </SectionCard>
      <SectionCard
        section="history"
        title="History"
        source={sections.history}
        dirty={dirty("history")}
        value={() => draftToObject(drafts.history)}
        onSaved={resync}
      >
        <ObjectEditor
          section="history"
          draft={drafts.history}
          sources={sources}
          onChange={(v) => update("history", v)}
        />
      </SectionCard>
      <SectionCard
        section="alerts"
        title="Alerts"
        source={sections.alerts}
        dirty={dirty("alerts") && parseJsonDraft(drafts.alerts).ok}
        value={() => {
          const parsed = parseJsonDraft(drafts.alerts);
          return parsed.ok ? parsed.value : drafts.alerts;
        }}
        onSaved={resync}
      >
        <JsonSectionEditor
          label="Alert webhooks and rule overrides (JSON)"
          draft={drafts.alerts}
          onChange={(v) => update("alerts", v)}
          hint='webhooks: [{url, format: "json" | "slack"}], http(s) to public addresses only; URLs show masked (…/***): keep a masked URL to keep the stored one, or type a new one to replace it. rules: [{stream, group, pendingOver, lagOver, lagSecondsOver, longPending, deadConsumer, deadLetter, expiringWithinMs, familyNoTtl, poisonOver, consumersOver, severity}], first match wins.'
        />
      </SectionCard>
    </div>
  );
}
