/** Shaping of entry values and states for display. Pure; tested in tests/unit/entry-display.test.ts. */
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import { STATE_GROUPS_MAX, type EntryOrder, type EntryStateName, type GroupEntryState } from "@/lib/contract/entries";
import type { FieldValue } from "@/lib/contract/common";
import { formatDuration } from "@/lib/shared/format";
import { STATE_LABELS } from "@/lib/shared/states";

/** The value pretty-printed when it is a JSON object or array, else null. */
export function prettyJson(value: FieldValue): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export interface BinaryView {
  bytes: number;
  /** Space-separated hex of the first `limit` bytes, "…" appended when cut. */
  hex: string;
  base64: string;
}

/** How a binary value is shown everywhere (components/stream/binary-value.tsx): size and a hex preview. */
export function binaryView(value: { base64: string }, limit = 32): BinaryView {
  const bytes = base64ToBytes(value.base64);
  const hex = Array.from(bytes.slice(0, limit), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return { bytes: bytes.length, hex: bytes.length > limit ? `${hex} …` : hex, base64: value.base64 };
}

/** Badge text of a state: "pending · alice · idle 3.0 s · 2 deliveries". */
export function stateText(s: GroupEntryState): string {
  if (s.state !== "pending") return STATE_LABELS[s.state];
  const deliveries = `${s.deliveries} ${s.deliveries === 1 ? "delivery" : "deliveries"}`;
  return `pending · ${s.consumer} · idle ${formatDuration(s.idleMs)} · ${deliveries}`;
}

export function stateTone(s: { state: EntryStateName }): "warn" | "info" | "ok" {
  return s.state === "pending" ? "warn" : s.state === "delivered" ? "info" : "ok";
}

/** Which way "Newer" and "Older" go for an order: `forward` follows `next`, `back` probes the other way. */
export function pagingDirections(order: EntryOrder): { newer: "forward" | "back"; older: "forward" | "back" } {
  return order === "desc" ? { newer: "back", older: "forward" } : { newer: "forward", older: "back" };
}

export const opposite = (order: EntryOrder): EntryOrder => (order === "asc" ? "desc" : "asc");

/** `datetime-local` value (browser local time) to epoch ms, null when empty or invalid. */
export function localInputToMs(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** The origin stream a dead-lettered copy names in its `streamscope-origin-stream` field, or null. */
export function originStreamOf(entry: { fields: readonly (readonly [unknown, unknown])[] }): string | null {
  for (const [name, value] of entry.fields) {
    if (name === DEAD_LETTER_FIELDS.originStream && typeof value === "string" && value.length > 0) return value;
  }
  return null;
}

/**
 * The groups the state column shows: the ones the answer names when the stream has more groups than
 * a page shows (STATE_GROUPS_MAX), else every group that has a state in the entries, in the stream's
 * group order.
 */
export function stateColumnGroups(
  groups: readonly string[],
  entries: readonly { states: Record<string, unknown> }[],
  shown?: readonly string[],
): string[] {
  if (shown) return [...shown];
  if (groups.length <= STATE_GROUPS_MAX) return [...groups];
  const present = new Set(entries.flatMap((e) => Object.keys(e.states)));
  return groups.filter((g) => present.has(g));
}
