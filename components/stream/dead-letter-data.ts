/** Shaping of dead-lettered entries for the dead letters view. Pure; tested in tests/unit/dead-letter-data.test.ts. */
import { DEAD_LETTER_FIELDS } from "@/lib/contract/dead-letter";
import type { StreamEntry } from "@/lib/contract/entries";
import type { RedriveMatchingResponse } from "@/lib/contract/pending";
import { formatNumber } from "@/lib/shared/format";

/** What a dead-lettered copy says about itself (its streamscope- metadata). */
export interface DeadLetterRow {
  id: string;
  origin: string;
  group: string | null;
  originId: string | null;
  reason: string | null;
  /** Epoch ms, null when not recorded. */
  deadLetteredAt: number | null;
  deliveries: number | null;
}

function textField(entry: Pick<StreamEntry, "fields">, name: string): string | null {
  for (const [k, v] of entry.fields) if (k === name) return typeof v === "string" ? v : null;
  return null;
}

function numberOf(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * The row of a dead-lettered copy in `stream`, or null for an entry that names no other origin
 * stream (an ordinary entry, a requeued copy, or a redriven copy back in its origin).
 */
export function deadLetterRow(entry: Pick<StreamEntry, "id" | "fields">, stream: string): DeadLetterRow | null {
  const origin = textField(entry, DEAD_LETTER_FIELDS.originStream);
  if (origin === null || origin === "" || origin === stream) return null;
  return {
    id: entry.id,
    origin,
    group: textField(entry, DEAD_LETTER_FIELDS.originGroup),
    originId: textField(entry, DEAD_LETTER_FIELDS.originId),
    reason: textField(entry, DEAD_LETTER_FIELDS.reason) || null,
    deadLetteredAt: numberOf(textField(entry, DEAD_LETTER_FIELDS.deadLetteredAt)),
    deliveries: numberOf(textField(entry, DEAD_LETTER_FIELDS.deliveries)),
  };
}

export function deadLetterRows(
  entries: readonly Pick<StreamEntry, "id" | "fields">[],
  stream: string,
): DeadLetterRow[] {
  return entries.flatMap((e) => deadLetterRow(e, stream) ?? []);
}

/** Distinct values in first-seen order (for the origin select and the reason suggestions). */
export function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

const letters = (n: number) => `${formatNumber(n)} ${n === 1 ? "dead letter" : "dead letters"}`;

/** The dry run's count in words: a walk cut by the scan budget says "at least". */
export function matchCountText(res: Pick<RedriveMatchingResponse, "matched" | "scanned" | "more">): string {
  if (res.more)
    return `At least ${letters(res.matched)} match (among the first ${formatNumber(res.scanned)} entries; the rest is read when it runs)`;
  return `${letters(res.matched)} ${res.matched === 1 ? "matches" : "match"} (${formatNumber(res.scanned)} entries read)`;
}

/** The outcome of a whole "redrive all matching" run, for its toast. */
export function matchingResultText(res: Pick<RedriveMatchingResponse, "redriven" | "skipped" | "scanned">): string {
  const skipped = res.skipped > 0 ? `, ${formatNumber(res.skipped)} skipped` : "";
  return `Sent ${letters(res.redriven)} back to their origin${skipped} (${formatNumber(res.scanned)} entries read)`;
}
