/**
 * Parses the range bounds of the entries and search APIs (grammar in lib/contract/entries.ts)
 * into inclusive full ids. Pure.
 */
import { badRequest } from "@/lib/errors";
import type { EntryOrder } from "@/lib/contract/entries";
import { MAX_ID, MIN_ID, formatId, nextId, parseId, previousId, compareIds } from "@/lib/contract/ids";

const U64_MAX = (1n << 64n) - 1n;

export type Side = "lower" | "upper";

/** An inclusive full id, or null when the bound leaves nothing (e.g. `(` past the largest id). */
export function resolveBound(raw: string, side: Side): string | null {
  const value = raw.trim();
  if (value === "-") return MIN_ID;
  if (value === "+") return MAX_ID;
  if (value.startsWith("(")) {
    const inner = value.slice(1);
    const id = parseId(inner);
    if (!id || !inner.includes("-")) throw badRequest(`Invalid exclusive id "${raw}": use (ms-seq`);
    return side === "lower" ? nextId(formatId(id)) : previousId(formatId(id));
  }
  if (value.startsWith("time:")) return timeBound(value.slice(5), raw, side);
  const id = parseId(value);
  if (!id) throw badRequest(`Invalid stream id "${raw}": use -, +, ms, ms-seq, (ms-seq or time:<ms|ISO>`);
  if (!value.includes("-")) return formatId({ ms: id.ms, seq: side === "lower" ? 0n : U64_MAX });
  return formatId(id);
}

function timeBound(text: string, raw: string, side: Side): string {
  let ms: number;
  if (/^\d{1,16}$/.test(text)) ms = Number(text);
  else {
    ms = Date.parse(text);
    if (!Number.isFinite(ms) || ms < 0)
      throw badRequest(`Invalid time "${raw}": use time:<epoch ms> or time:<ISO 8601>`);
  }
  return formatId({ ms: BigInt(ms), seq: side === "lower" ? 0n : U64_MAX });
}

export interface IdRange {
  /** Inclusive. */
  lower: string;
  /** Inclusive. */
  upper: string;
}

/** The inclusive range of a request, or null when it is empty. `start` is where the page begins in `order`. */
export function requestRange(start: string | undefined, end: string | undefined, order: EntryOrder): IdRange | null {
  const lowerRaw = order === "asc" ? (start ?? "-") : (end ?? "-");
  const upperRaw = order === "asc" ? (end ?? "+") : (start ?? "+");
  const lower = resolveBound(lowerRaw || "-", "lower");
  const upper = resolveBound(upperRaw || "+", "upper");
  if (lower === null || upper === null || compareIds(lower, upper) > 0) return null;
  return { lower, upper };
}

/** The `start` that continues after `lastId` in `order`. */
export function continuationAfter(lastId: string): string {
  return `(${lastId}`;
}
