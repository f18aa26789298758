/**
 * Form drafts for the settings page: every input is text, turned back into the section's JSON on
 * save (empty optional fields are left out, so they keep their defaults). Pure, unit tested.
 */
import type { EffectiveSettings } from "@/lib/contract/settings";

export type Family = EffectiveSettings["families"][number];
export type GroupRule = EffectiveSettings["groups"][number];

export interface FamilyDraft {
  name: string;
  pattern: string;
  groups: string;
  ttlSeconds: string;
  ahead: string;
  timeZone: string;
}

export interface RuleDraft {
  stream: string;
  group: string;
  stuckAfterMs: string;
  policy: "" | "alert" | "reassign" | "requeue";
  maxDeliveries: string;
  deadLetter: string;
  trim: boolean;
  allGroups: boolean;
  reassignTo: string;
  reapAfterMs: string;
  reapPolicy: "" | "hand-over" | "requeue";
}

const text = (v: number | string | undefined) => (v === undefined ? "" : String(v));

/** A number when the text is one, the text itself otherwise (the server names the bad key). */
function numberOrText(v: string): number | string | undefined {
  const t = v.trim();
  if (t === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}

export function familyToDraft(f: Family): FamilyDraft {
  return {
    name: f.name,
    pattern: f.pattern,
    groups: f.groups.join(", "),
    ttlSeconds: text(f.ttlSeconds),
    ahead: text(f.ahead),
    timeZone: f.timeZone,
  };
}

export function draftToFamily(d: FamilyDraft): Record<string, unknown> {
  return compact({
    name: d.name.trim(),
    pattern: d.pattern.trim(),
    groups: d.groups
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean),
    ttlSeconds: numberOrText(d.ttlSeconds),
    ahead: numberOrText(d.ahead),
    timeZone: d.timeZone.trim() || undefined,
  });
}

export const emptyFamily: FamilyDraft = {
  name: "",
  pattern: "<yyyyMMddHH>",
  groups: "",
  ttlSeconds: "7200",
  ahead: "1",
  timeZone: "UTC",
};

export function ruleToDraft(r: GroupRule): RuleDraft {
  return {
    stream: r.stream,
    group: r.group,
    stuckAfterMs: text(r.stuckAfterMs),
    policy: r.policy ?? "",
    maxDeliveries: text(r.maxDeliveries),
    deadLetter: r.deadLetter ?? "",
    trim: r.trim ?? false,
    allGroups: r.allGroups ?? false,
    reassignTo: r.reassignTo ?? "",
    reapAfterMs: text(r.reapAfterMs),
    reapPolicy: r.reapPolicy ?? "",
  };
}

export function draftToRule(d: RuleDraft): Record<string, unknown> {
  return compact({
    stream: d.stream.trim() || "*",
    group: d.group.trim() || "*",
    stuckAfterMs: numberOrText(d.stuckAfterMs),
    policy: d.policy || undefined,
    maxDeliveries: numberOrText(d.maxDeliveries),
    deadLetter: d.deadLetter.trim() || undefined,
    trim: d.trim || undefined,
    allGroups: d.allGroups || undefined,
    reassignTo: d.reassignTo.trim() || undefined,
    reapAfterMs: numberOrText(d.reapAfterMs),
    reapPolicy: d.reapPolicy || undefined,
  });
}

export const emptyRule: RuleDraft = {
  stream: "*",
  group: "*",
  stuckAfterMs: "",
  policy: "",
  maxDeliveries: "",
  deadLetter: "",
  trim: false,
  allGroups: false,
  reassignTo: "",
  reapAfterMs: "",
  reapPolicy: "",
};

/** An object section (worker, history) as text fields; only filled-in fields are saved. */
export function objectToDraft(obj: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, String(v)]));
}

export function draftToObject(draft: Record<string, string>): Record<string, unknown> {
  return compact(Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, numberOrText(v)])));
}

/** A JSON-edited section: the text as typed, parsed on save (the server names any bad key). */
export function parseJsonDraft(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function jsonToDraft(value: unknown): string {
  return JSON.stringify(value ?? {}, null, 2);
}
