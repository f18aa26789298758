import "server-only";
import { getEnv } from "@/lib/env";
import { replyBytes, type ValueLimits } from "./codec";

/** Pairs listed per entry in list answers. */
export const FIELDS_SHOWN = 100;
const PREVIEW_BYTES = 1024;
/**
 * Bytes one XRANGE reply should carry: measured on Redis 7.0, XRANGE COUNT 1 of a 2 MiB entry
 * takes under 1 ms inside Redis, COUNT 5 about 45 ms (the slow log's threshold here is 10 ms).
 */
export const READ_BYTES = 1_048_576;

export function valueLimits(): ValueLimits {
  return { valueBytes: getEnv().FIELD_VALUE_LIMIT_BYTES, previewBytes: PREVIEW_BYTES, fields: FIELDS_SHOWN };
}

export function answerBudget(): number {
  return getEnv().ANSWER_LIMIT_BYTES;
}

/**
 * COUNT for the next XRANGE of a read: 1 until a reply has been seen (an entry's size is not known
 * before reading it), then as many entries of the sizes seen so far as fit in READ_BYTES.
 */
export class BatchSizer {
  private perEntry = 0;

  next(want: number): number {
    if (this.perEntry === 0) return Math.min(1, want);
    return Math.max(1, Math.min(want, Math.floor(READ_BYTES / this.perEntry)));
  }

  /** After a read of `entries` entries whose replies (Buffer XRANGE) are `replies`. */
  seen(replies: unknown[], entries: number): void {
    const bytes = replies.reduce<number>((t, r) => t + replyBytes(r), 0);
    if (entries > 0) this.perEntry = Math.max(1, Math.ceil(bytes / entries));
  }
}
