/**
 * The pending explorer's filter, kept in the URL query so a link from an alert opens it
 * pre-filtered: `?consumer=&minIdleMs=&minDeliveries=&start=&end=`. Pure; tested.
 */
import { formatDuration, formatNumber } from "@/lib/shared/format";
import type { PendingFilter, PendingQuery } from "@/lib/contract/pending";
import { isValidId, normalizeId } from "@/lib/contract/ids";

export interface ExplorerFilter {
  consumer?: string;
  minIdleMs?: number;
  minDeliveries?: number;
  /** Lowest id (inclusive). */
  start?: string;
  /** Highest id (inclusive). */
  end?: string;
}

type QueryLike = URLSearchParams | Record<string, string | string[] | undefined>;

function read(query: QueryLike, name: string): string | undefined {
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

function nonNegativeInt(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Reads the filter from a query; values that do not parse are dropped (the form shows them empty). */
export function parseFilter(query: QueryLike): ExplorerFilter {
  const filter: ExplorerFilter = {};
  const consumer = read(query, "consumer");
  if (consumer) filter.consumer = consumer;
  const minIdleMs = nonNegativeInt(read(query, "minIdleMs"));
  if (minIdleMs) filter.minIdleMs = minIdleMs;
  const minDeliveries = nonNegativeInt(read(query, "minDeliveries"));
  if (minDeliveries) filter.minDeliveries = minDeliveries;
  const start = read(query, "start");
  if (start && isValidId(start)) filter.start = normalizeId(start);
  const end = read(query, "end");
  if (end && isValidId(end)) filter.end = normalizeId(end);
  return filter;
}

export function filterToQuery(filter: ExplorerFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.consumer) out.consumer = filter.consumer;
  if (filter.minIdleMs) out.minIdleMs = String(filter.minIdleMs);
  if (filter.minDeliveries) out.minDeliveries = String(filter.minDeliveries);
  if (filter.start) out.start = filter.start;
  if (filter.end) out.end = filter.end;
  return out;
}

export function filterToSearch(filter: ExplorerFilter): string {
  const qs = new URLSearchParams(filterToQuery(filter)).toString();
  return qs ? `?${qs}` : "";
}

export function toActionFilter(filter: ExplorerFilter): PendingFilter {
  const out: PendingFilter = {};
  if (filter.consumer) out.consumer = filter.consumer;
  if (filter.minIdleMs) out.minIdleMs = filter.minIdleMs;
  if (filter.minDeliveries) out.minDeliveries = filter.minDeliveries;
  if (filter.start) out.minId = filter.start;
  if (filter.end) out.maxId = filter.end;
  return out;
}

/** The pending list's query for a filter (the first page: `start` is the filter's lowest id). */
export function toPendingQuery(filter: ExplorerFilter): PendingQuery {
  const { consumer, minIdleMs, minDeliveries, start, end } = filter;
  return { consumer, minIdleMs, minDeliveries, start, end };
}

export function isEmptyFilter(filter: ExplorerFilter): boolean {
  return Object.keys(filterToQuery(filter)).length === 0;
}

/** "owned by worker-3, idle at least 5 min 0 s" — for confirmations. */
export function describeFilter(filter: ExplorerFilter): string {
  const parts: string[] = [];
  if (filter.consumer) parts.push(`owned by "${filter.consumer}"`);
  if (filter.minIdleMs) parts.push(`idle at least ${formatDuration(filter.minIdleMs)}`);
  if (filter.minDeliveries) parts.push(`delivered at least ${formatNumber(filter.minDeliveries)} times`);
  if (filter.start && filter.end) parts.push(`with ids ${filter.start} to ${filter.end}`);
  else if (filter.start) parts.push(`with ids from ${filter.start}`);
  else if (filter.end) parts.push(`with ids up to ${filter.end}`);
  return parts.length ? parts.join(", ") : "every pending message of the group";
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration typed by a person: "500ms", "30s", "5m", "1.5h", "2d"; a bare number is
 * milliseconds. Returns null when it does not parse, undefined for an empty input.
 */
export function parseDurationInput(text: string): number | null | undefined {
  const t = text.trim().toLowerCase();
  if (t === "") return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?$/.exec(t);
  if (!match) return null;
  const value = Number(match[1]) * (UNITS[match[2] ?? "ms"] ?? 1);
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** The shortest exact way to write a duration for the input ("300000" becomes "5m"). */
export function durationInputText(ms: number | undefined): string {
  if (!ms) return "";
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
