/**
 * Stream ids, shared by the request schemas, the server and the browser. Pure. Stream ids are
 * pairs of unsigned 64-bit integers `ms-seq`. Compare them as BigInt pairs, never as strings
 * ("10-0" < "9-0" as strings).
 */
const U64_MAX = (1n << 64n) - 1n;
const ID_PATTERN = /^(\d{1,20})(?:-(\d{1,20}))?$/;

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export const MIN_ID = "0-0";
export const MAX_ID = `${U64_MAX}-${U64_MAX}`;

export function parseId(value: string): StreamId | null {
  const match = ID_PATTERN.exec(value);
  if (!match) return null;
  const ms = BigInt(match[1] ?? "0");
  const seq = BigInt(match[2] ?? "0");
  if (ms > U64_MAX || seq > U64_MAX) return null;
  return { ms, seq };
}

/**
 * Fast paths for the hot comparisons: ids in Redis's own form (decimal parts without leading
 * zeros, each at most 2^64-1) compare as strings of digits, by length then by code, without
 * allocating. Anything else takes the BigInt path, which also throws on invalid ids.
 */
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const U64_MAX_TEXT = U64_MAX.toString();

/** Whether value[from, to) is 1 to 20 digits at most 2^64-1; with `canonical`, also without a leading zero. */
function isDigits(value: string, from: number, to: number, canonical: boolean): boolean {
  const length = to - from;
  if (length < 1 || length > 20) return false;
  if (canonical && length > 1 && value.charCodeAt(from) === DIGIT_0) return false;
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  return length < 20 || !exceedsU64(value, from);
}

/** Whether the 20 digits at value[from] are above 2^64-1 (same length: compare digit by digit). */
function exceedsU64(value: string, from: number): boolean {
  for (let i = 0; i < 20; i++) {
    const x = value.charCodeAt(from + i);
    const y = U64_MAX_TEXT.charCodeAt(i);
    if (x !== y) return x > y;
  }
  return false;
}

/** Digits of value[from, to) as a canonical part, "0" counted as none (an id without seq). */
function partLength(value: string, from: number, to: number): number {
  return to - from === 1 && value.charCodeAt(from) === DIGIT_0 ? 0 : to - from;
}

function comparePart(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): -1 | 0 | 1 {
  const aLength = partLength(a, aFrom, aTo);
  const bLength = partLength(b, bFrom, bTo);
  if (aLength !== bLength) return aLength < bLength ? -1 : 1;
  for (let i = 0; i < aLength; i++) {
    const x = a.charCodeAt(aFrom + i);
    const y = b.charCodeAt(bFrom + i);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** compareIds for ids in canonical form, null for anything else. */
export function compareCanonicalIds(a: string, b: string): -1 | 0 | 1 | null {
  const aDash = a.indexOf("-");
  const bDash = b.indexOf("-");
  const aMsEnd = aDash < 0 ? a.length : aDash;
  const bMsEnd = bDash < 0 ? b.length : bDash;
  if (!isDigits(a, 0, aMsEnd, true) || !isDigits(b, 0, bMsEnd, true)) return null;
  if (aDash >= 0 && !isDigits(a, aDash + 1, a.length, true)) return null;
  if (bDash >= 0 && !isDigits(b, bDash + 1, b.length, true)) return null;
  const ms = comparePart(a, 0, aMsEnd, b, 0, bMsEnd);
  if (ms !== 0) return ms;
  return comparePart(a, aDash < 0 ? a.length : aDash + 1, a.length, b, bDash < 0 ? b.length : bDash + 1, b.length);
}

export function isValidId(value: string): boolean {
  const dash = value.indexOf("-");
  const msEnd = dash < 0 ? value.length : dash;
  if (isDigits(value, 0, msEnd, false) && (dash < 0 || isDigits(value, dash + 1, value.length, false))) return true;
  return parseId(value) !== null;
}

/** A complete `ms-seq` id (both parts given), each part within 64 bits. */
export function isFullId(value: string): boolean {
  return value.includes("-") && parseId(value) !== null;
}

function mustParse(value: string): StreamId {
  const id = parseId(value);
  if (!id) throw new Error(`Not a stream id: ${value}`);
  return id;
}

export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** Canonical `ms-seq` form ("5" becomes "5-0"). */
export function normalizeId(value: string): string {
  return formatId(mustParse(value));
}

export function compareIds(a: string, b: string): -1 | 0 | 1 {
  return compareCanonicalIds(a, b) ?? compareParsedIds(a, b);
}

/** compareIds through BigInt: any valid id, throws on an invalid one. */
export function compareParsedIds(a: string, b: string): -1 | 0 | 1 {
  const x = mustParse(a);
  const y = mustParse(b);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  if (x.seq !== y.seq) return x.seq < y.seq ? -1 : 1;
  return 0;
}

export const idLessThan = (a: string, b: string) => compareIds(a, b) < 0;

export function maxId(a: string, b: string): string {
  return compareIds(a, b) >= 0 ? a : b;
}

export function minId(a: string, b: string): string {
  return compareIds(a, b) <= 0 ? a : b;
}

/** The smallest id greater than `value`, or null past the largest id. */
export function nextId(value: string): string | null {
  const { ms, seq } = mustParse(value);
  if (seq < U64_MAX) return formatId({ ms, seq: seq + 1n });
  if (ms < U64_MAX) return formatId({ ms: ms + 1n, seq: 0n });
  return null;
}

/** The largest id smaller than `value`, or null below 0-0. */
export function previousId(value: string): string | null {
  const { ms, seq } = mustParse(value);
  if (seq > 0n) return formatId({ ms, seq: seq - 1n });
  if (ms > 0n) return formatId({ ms: ms - 1n, seq: U64_MAX });
  return null;
}

/** Milliseconds since the epoch encoded in an id (auto-generated ids carry the add time). */
export function idToTimeMs(value: string): number {
  const dash = value.indexOf("-");
  const msEnd = dash < 0 ? value.length : dash;
  // Up to 15 digits a Number holds the value exactly.
  if (msEnd <= 15 && isDigits(value, 0, msEnd, false) && (dash < 0 || isDigits(value, dash + 1, value.length, false))) {
    let ms = 0;
    for (let i = 0; i < msEnd; i++) ms = ms * 10 + (value.charCodeAt(i) - DIGIT_0);
    return ms;
  }
  return Number(mustParse(value).ms);
}

export function timeMsToId(ms: number, edge: "start" | "end" = "start"): string {
  const floored = Math.max(0, Math.floor(ms));
  if (floored <= Number.MAX_SAFE_INTEGER) return `${floored}-${edge === "start" ? "0" : U64_MAX_TEXT}`;
  const clamped = BigInt(Math.max(0, Math.floor(ms)));
  return formatId({ ms: clamped, seq: edge === "start" ? 0n : U64_MAX });
}

/**
 * A range bound of the entries and search APIs (grammar in ./entries.ts): `-`, `+`, `ms`, `ms-seq`,
 * `(ms-seq` or `time:<ms|ISO 8601>`, surrounding spaces ignored. Accepts exactly what the
 * server's resolveBound resolves without refusing.
 */
export function isRangeBound(raw: string): boolean {
  const value = raw.trim();
  if (value === "-" || value === "+") return true;
  if (value.startsWith("(")) return isFullId(value.slice(1));
  if (value.startsWith("time:")) {
    const text = value.slice(5);
    if (/^\d{1,16}$/.test(text)) return true;
    const ms = Date.parse(text);
    return Number.isFinite(ms) && ms >= 0;
  }
  return isValidId(value);
}
