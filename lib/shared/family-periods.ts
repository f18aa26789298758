/**
 * Family periods: which key a family pattern gives for an instant, when that period ends, and
 * the reverse (a member key back to its period). Pure; time zones via Intl.DateTimeFormat.
 */
import { familyMemberKey, matchFamilyKey, parseFamilyPattern, patternFormat } from "./families";

export type PeriodUnit = "hour" | "day";

export function periodUnit(pattern: string): PeriodUnit {
  return patternFormat(pattern) === "yyyyMMddHH" ? "hour" : "day";
}

interface LocalParts {
  y: number;
  mo: number;
  d: number;
  h: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for an unknown zone (config validation uses this). */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function localParts(ms: number, timeZone: string): LocalParts & { mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour! % 24, mi: parts.minute!, s: parts.second! };
}

/** Offset of the zone at an instant: local wall time read as UTC, minus the instant. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

function wallAsUtc(ms: number, timeZone: string): number {
  return Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone);
}

/**
 * The first instant whose local wall time is at or past `wall` (read as UTC): the earlier one
 * when the wall time happens twice (DST fall-back), the transition when it is skipped.
 */
function instantOfLocal(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const third = wall - offsetAt(wall - 86400_000, timeZone);
  const candidates = [...new Set([first, second, third])];
  const valid = candidates.filter((c) => wallAsUtc(c, timeZone) >= wall);
  return valid.length ? Math.min(...valid) : Math.max(...candidates);
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export interface Period {
  key: string;
  label: string;
  /** First instant of the period (ms). */
  start: number;
  /** First instant after the period (ms). */
  end: number;
}

function labelOf(p: LocalParts, unit: PeriodUnit): string {
  const day = `${pad(p.y, 4)}${pad(p.mo)}${pad(p.d)}`;
  return unit === "hour" ? `${day}${pad(p.h)}` : day;
}

export function memberKey(pattern: string, label: string): string {
  const family = parseFamilyPattern(pattern);
  return family ? familyMemberKey(family, label) : pattern;
}

function periodFromParts(pattern: string, p: LocalParts, timeZone: string): Period {
  const unit = periodUnit(pattern);
  const startWall = Date.UTC(p.y, p.mo - 1, p.d, unit === "hour" ? p.h : 0);
  const endWall = unit === "hour" ? startWall + 3600_000 : Date.UTC(p.y, p.mo - 1, p.d + 1);
  const label = labelOf(p, unit);
  return {
    key: memberKey(pattern, label),
    label,
    start: instantOfLocal(startWall, timeZone),
    end: instantOfLocal(endWall, timeZone),
  };
}

/** The period containing `ms`. */
export function periodAt(pattern: string, ms: number, timeZone = "UTC"): Period {
  return periodFromParts(pattern, localParts(ms, timeZone), timeZone);
}

/** The current period and the `ahead` following ones, in order, without repeats. */
export function periodsFrom(pattern: string, now: number, ahead: number, timeZone = "UTC"): Period[] {
  const out: Period[] = [periodAt(pattern, now, timeZone)];
  let at = out[0]!.end;
  while (out.length < ahead + 1) {
    const next = periodAt(pattern, at, timeZone);
    // A repeated local hour (DST fall-back) maps two instants to one label: skip ahead.
    if (next.label !== out[out.length - 1]!.label) out.push(next);
    at = Math.max(next.end, at + 60_000);
  }
  return out;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/** A SCAN MATCH pattern that finds every member of a family. */
export function familyScanMatch(pattern: string): string {
  const unit = periodUnit(pattern);
  const digits = "[0-9]".repeat(unit === "hour" ? 10 : 8);
  const family = parseFamilyPattern(pattern);
  return family ? family.pieces.map(escapeGlob).join(digits) : escapeGlob(pattern);
}

/** The period a member key belongs to, or null when the key is not a member (or not a real date). */
export function periodOfKey(pattern: string, key: string, timeZone = "UTC"): Period | null {
  const family = parseFamilyPattern(pattern);
  const label = family && matchFamilyKey(family, key);
  if (!label) return null;
  const parts: LocalParts = {
    y: Number(label.slice(0, 4)),
    mo: Number(label.slice(4, 6)),
    d: Number(label.slice(6, 8)),
    h: label.length === 10 ? Number(label.slice(8, 10)) : 0,
  };
  return periodFromParts(pattern, parts, timeZone);
}
