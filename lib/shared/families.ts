/**
 * Families: streams one rotation pattern produces (`orders_2026112500`, `orders_2026112501`, ...),
 * detected from key names. Pure (no server imports): the overview groups rows in the browser.
 *
 * A key belongs to a family when it ends in a separator (`_`, `-`, `:` or `.`) and a `yyyyMMddHH`
 * or `yyyyMMdd` suffix that is a real date (years 1970-2999, valid month, day and hour), after a
 * non-empty stem. Keys matching a configured pattern (`orders_<yyyyMMddHH>`, any text around the
 * placeholder) belong to it whatever the separator. A detected family needs at least 2 members;
 * a configured one is a family from its first member.
 */
import type { StreamRow } from "@/lib/contract/streams";

export type DateFormat = "yyyyMMddHH" | "yyyyMMdd";

export interface FamilyKey {
  /** The family's name, the key with its date replaced by the placeholder: `orders_<yyyyMMddHH>`. */
  pattern: string;
  format: DateFormat;
  /** Start of the key's period, ms since epoch (UTC). */
  periodStart: number;
}

const SUFFIX = /^(.+)([_\-:.])(\d{10}|\d{8})$/s;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `yyyyMMdd` or `yyyyMMddHH` as a UTC time, or null when it is no real date/hour. */
export function parseDateSuffix(digits: string): number | null {
  if (!/^(\d{8}|\d{10})$/.test(digits)) return null;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  const hour = digits.length === 10 ? Number(digits.slice(8, 10)) : 0;
  if (year < 1970 || year > 2999) return null;
  if (month < 1 || month > 12) return null;
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > days) return null;
  if (hour > 23) return null;
  return Date.UTC(year, month - 1, day, hour);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * A configured family pattern, parsed once: `orders_<yyyyMMddHH>` or `d:<yyyyMMdd>`. The hourly
 * placeholder wins when both appear; every occurrence of the chosen placeholder stands for the
 * same date, and the other placeholder, if any, is literal text.
 */
export interface FamilyPattern {
  pattern: string;
  format: DateFormat;
  /** `<yyyyMMddHH>` or `<yyyyMMdd>`. */
  placeholder: string;
  /** The literal text around the placeholders (one more piece than there are placeholders). */
  pieces: string[];
  re: RegExp;
}

/** The date format a pattern uses: hourly when it has `<yyyyMMddHH>`, daily otherwise. */
export function patternFormat(pattern: string): DateFormat {
  return pattern.includes("<yyyyMMddHH>") ? "yyyyMMddHH" : "yyyyMMdd";
}

/** The pattern parsed, or null when it has no placeholder. */
export function parseFamilyPattern(pattern: string): FamilyPattern | null {
  const format = patternFormat(pattern);
  const placeholder = `<${format}>`;
  if (!pattern.includes(placeholder)) return null;
  const pieces = pattern.split(placeholder);
  const digits = format === "yyyyMMddHH" ? "(\\d{10})" : "(\\d{8})";
  return { pattern, format, placeholder, pieces, re: new RegExp(`^${pieces.map(escapeRegExp).join(digits)}$`, "su") };
}

/** The date digits a key has in a family (a real date or hour), or null when it is no member. */
export function matchFamilyKey(family: FamilyPattern, key: string): string | null {
  const m = family.re.exec(key);
  if (!m) return null;
  const label = m[1]!;
  for (let i = 2; i < m.length; i++) if (m[i] !== label) return null;
  return parseDateSuffix(label) === null ? null : label;
}

/** The key of a family for one period: the pattern with its placeholder replaced by the digits. */
export function familyMemberKey(family: FamilyPattern, label: string): string {
  return family.pieces.join(label);
}

/** A matcher for one configured pattern: whether a key is a member (with a real date or hour). */
export function familyMatcher(pattern: string): (key: string) => boolean {
  const family = parseFamilyPattern(pattern);
  return (key) => family !== null && matchFamilyKey(family, key) !== null;
}

/** The family a key belongs to by its name alone, or null. Configured patterns are tried first. */
export function familyOfKey(key: string, configured: readonly string[] = []): FamilyKey | null {
  for (const raw of configured) {
    const p = parseFamilyPattern(raw);
    const label = p && matchFamilyKey(p, key);
    if (p && label) return { pattern: p.pattern, format: p.format, periodStart: parseDateSuffix(label)! };
  }
  const m = SUFFIX.exec(key);
  if (!m) return null;
  const [, stem, sep, digits] = m as unknown as [string, string, string, string];
  const periodStart = parseDateSuffix(digits);
  if (periodStart === null) return null;
  const format: DateFormat = digits.length === 10 ? "yyyyMMddHH" : "yyyyMMdd";
  return { pattern: `${stem}${sep}<${format}>`, format, periodStart };
}

/** The numbers a stream row and a family row share (what the overview sorts on). */
export type RowMetrics = Pick<
  StreamRow,
  | "length"
  | "groupCount"
  | "pending"
  | "lag"
  | "lagUnknown"
  | "oldestPendingMs"
  | "lagMs"
  | "stuck"
  | "stuckCapped"
  | "ttlMs"
  | "memoryBytes"
  | "memoryUnknown"
  | "lastEntryTime"
>;

export interface FamilyRow extends RowMetrics {
  pattern: string;
  /** Whether the pattern comes from the configuration (rotated by the worker). */
  configured: boolean;
  /** Newest period first. */
  members: StreamRow[];
}

export type OverviewItem =
  | ({ kind: "stream"; id: string; name: string; row: StreamRow } & RowMetrics)
  | ({ kind: "family"; id: string; name: string; family: FamilyRow } & RowMetrics);

function maxOrNull(values: (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v > out)) out = v;
  return out;
}

function minOrNull(values: (number | null)[]): number | null {
  let out: number | null = null;
  for (const v of values) if (v !== null && (out === null || v < out)) out = v;
  return out;
}

/** Totals over a family's members: sums, the largest lag and oldest age, the soonest expiry, the latest entry. */
export function familyTotals(members: readonly StreamRow[]): RowMetrics {
  const sum = (f: (r: StreamRow) => number) => members.reduce((s, r) => s + f(r), 0);
  const noMemoryKnown = members.every((r) => r.memoryBytes === null);
  return {
    length: sum((r) => r.length),
    groupCount: sum((r) => r.groupCount),
    pending: sum((r) => r.pending),
    lag: maxOrNull(members.map((r) => r.lag)),
    lagUnknown: members.some((r) => r.lagUnknown),
    oldestPendingMs: maxOrNull(members.map((r) => r.oldestPendingMs)),
    lagMs: maxOrNull(members.map((r) => r.lagMs ?? null)),
    stuck: sum((r) => r.stuck),
    stuckCapped: members.some((r) => r.stuckCapped),
    ttlMs: minOrNull(members.map((r) => r.ttlMs)),
    memoryBytes: noMemoryKnown ? null : sum((r) => r.memoryBytes ?? 0),
    ...(noMemoryKnown ? { memoryUnknown: members.find((r) => r.memoryUnknown)?.memoryUnknown } : {}),
    lastEntryTime: maxOrNull(members.map((r) => r.lastEntryTime)),
  };
}

function metricsOf(row: StreamRow): RowMetrics {
  const {
    length,
    groupCount,
    pending,
    lag,
    lagUnknown,
    oldestPendingMs,
    lagMs,
    stuck,
    stuckCapped,
    ttlMs,
    memoryBytes,
    memoryUnknown,
    lastEntryTime,
  } = row;
  return {
    length,
    groupCount,
    pending,
    lag,
    lagUnknown,
    oldestPendingMs,
    lagMs,
    stuck,
    stuckCapped,
    ttlMs,
    memoryBytes,
    ...(memoryUnknown ? { memoryUnknown } : {}),
    lastEntryTime,
  };
}

/**
 * Groups rows into families and plain streams, in the rows' order (first appearance of a family).
 * `configured`: family patterns from the settings (`orders_<yyyyMMddHH>`).
 */
export function groupFamilies(rows: readonly StreamRow[], configured: readonly string[] = []): OverviewItem[] {
  const configuredSet = new Set(configured);
  const byPattern = new Map<string, { members: { row: StreamRow; periodStart: number }[] }>();
  const keyFamily = new Map<string, string>();
  for (const row of rows) {
    const fam = familyOfKey(row.key, configured);
    if (!fam) continue;
    keyFamily.set(row.key, fam.pattern);
    let bucket = byPattern.get(fam.pattern);
    if (!bucket) byPattern.set(fam.pattern, (bucket = { members: [] }));
    bucket.members.push({ row, periodStart: fam.periodStart });
  }
  const isFamily = (pattern: string) =>
    configuredSet.has(pattern) || (byPattern.get(pattern)?.members.length ?? 0) >= 2;

  const out: OverviewItem[] = [];
  const emitted = new Set<string>();
  for (const row of rows) {
    const pattern = keyFamily.get(row.key);
    if (pattern === undefined || !isFamily(pattern)) {
      out.push({ kind: "stream", id: `stream:${row.key}`, name: row.key, row, ...metricsOf(row) });
      continue;
    }
    if (emitted.has(pattern)) continue;
    emitted.add(pattern);
    const members = [...byPattern.get(pattern)!.members]
      .sort((a, b) => b.periodStart - a.periodStart || (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0))
      .map((m) => m.row);
    const totals = familyTotals(members);
    const family: FamilyRow = { pattern, configured: configuredSet.has(pattern), members, ...totals };
    out.push({ kind: "family", id: `family:${pattern}`, name: pattern, family, ...totals });
  }
  return out;
}
