/** Display formatting shared by every view. Pure; tested in tests/unit/format.test.ts. */
import type { MemoryUnknown } from "@/lib/contract/streams";

const nf = new Intl.NumberFormat("en-US");

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return nf.format(n);
}

/** "1,000+" when a bounded count hit its cap. */
export function formatCapped(n: number, capped: boolean): string {
  return capped ? `${nf.format(n)}+` : nf.format(n);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.floor(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
}

/** Why a stream's memory is unknown, in words (undefined without a reason). */
export function memoryUnknownText(reason: MemoryUnknown | undefined): string | undefined {
  if (reason === "consumers")
    return "not read: its groups hold over 10,000 consumers, and MEMORY USAGE would walk them all inside Redis";
  if (reason === "refused") return "not read: the server refused MEMORY USAGE (disabled, or not allowed to this user)";
  return undefined;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

/** "3 min ago" relative to `now`. */
export function formatAgo(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return "—";
  const delta = now - ms;
  if (delta < 0) return `in ${formatDuration(-delta)}`;
  return `${formatDuration(delta)} ago`;
}

/** "2026-11-25 14:03:07 GMT+1" in the viewer's time zone (or `timeZone`), 24-hour, same shape everywhere. */
export function formatLocalTime(ms: number | null | undefined, timeZone?: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")} ${get("timeZoneName")}`;
}

/**
 * How old a polled answer's data is (`asOf`, from the server): "live" under a second, else
 * "data from 3 s ago". Clocks a little apart never make it negative.
 */
export function formatDataAge(asOf: number, now = Date.now()): string {
  const age = Math.max(0, now - asOf);
  if (age < 1000) return "live";
  if (age < 60_000) return `data from ${Math.floor(age / 1000)} s ago`;
  return `data from ${formatDuration(age)} ago`;
}
