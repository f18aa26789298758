import type { AuditQuery, AuditResult, AuditTrail } from "@/lib/contract/audit";

/** The audit page's form values (strings, as inputs hold them). */
export interface AuditFilterForm {
  trail: AuditTrail;
  actor: string;
  action: string;
  stream: string;
  result: "" | AuditResult;
  /** `datetime-local` values, read as local time */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: AuditFilterForm = {
  trail: "main",
  actor: "",
  action: "",
  stream: "",
  result: "",
  from: "",
  to: "",
};

function toMs(local: string): number | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** Form values to the API query: blanks dropped, times to epoch ms. */
export function auditFiltersToQuery(form: AuditFilterForm): Omit<AuditQuery, "cursor"> {
  const q: Omit<AuditQuery, "cursor"> = {};
  if (form.trail !== "main") q.trail = form.trail;
  if (form.actor.trim()) q.actor = form.actor.trim();
  if (form.action.trim()) q.action = form.action.trim();
  if (form.stream) q.stream = form.stream;
  if (form.result) q.result = form.result;
  const from = toMs(form.from);
  const to = toMs(form.to);
  if (from !== undefined) q.from = from;
  if (to !== undefined) q.to = to;
  return q;
}

/** What the request targeted, in one short line. */
export function describeTargets(entry: { ids?: string[]; idCount?: number; filter?: string }): string {
  if (entry.ids?.length) {
    const more = (entry.idCount ?? entry.ids.length) - entry.ids.length;
    return `${entry.ids.slice(0, 3).join(", ")}${entry.ids.length > 3 || more > 0 ? ` (+${(entry.idCount ?? entry.ids.length) - 3} more)` : ""}`;
  }
  if (entry.filter) return `filter ${entry.filter}`;
  return "";
}
