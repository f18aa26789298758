import "server-only";
import type Redis from "ioredis";
import { appKey } from "@/lib/redis/app-keys";
import { getRedis } from "@/lib/redis/client";
import { log } from "@/lib/log";
import type { AuditEntry, AuditQuery, AuditResponse } from "@/lib/api/audit-types";

/**
 * The audit trail: one capped Redis stream under the app prefix, one JSON field per entry.
 * Writers never fail the request they record (a Redis outage loses the entry, logged).
 */
export const AUDIT_MAXLEN = 100_000;
const MAX_SCANNED_PER_QUERY = 10_000;
const BATCH = 500;

export function auditKey(): string {
  return appKey("audit");
}

const MAX_STRING = 500;
const clip = (s: string, max = MAX_STRING) => (s.length > max ? `${s.slice(0, max)}…` : s);

export function normalizeEntry(entry: AuditEntry): AuditEntry {
  const out: AuditEntry = {
    ...entry,
    who: clip(entry.who, 200),
    userAgent: clip(entry.userAgent, 300),
    action: clip(entry.action, 100),
  };
  if (out.stream !== undefined) out.stream = clip(out.stream);
  if (out.group !== undefined) out.group = clip(out.group);
  if (out.filter !== undefined) out.filter = clip(out.filter);
  if (out.ids) out.ids = out.ids.slice(0, 20).map((id) => clip(String(id), 64));
  delete out.id;
  return out;
}

/** Appends one entry (also for the worker: `recordAudit({who: "worker", method: "worker", ...})`). */
export async function recordAudit(entry: AuditEntry, redis: Redis = getRedis()): Promise<void> {
  try {
    await redis.xadd(auditKey(), "MAXLEN", "~", AUDIT_MAXLEN, "*", "e", JSON.stringify(normalizeEntry(entry)));
  } catch (err) {
    log.warn({ err: (err as Error).message, action: entry.action, who: entry.who }, "audit entry not recorded");
  }
}

function matches(entry: AuditEntry, q: AuditQuery): boolean {
  if (q.actor && !entry.who.toLowerCase().includes(q.actor.toLowerCase())) return false;
  if (q.action && entry.action !== q.action) return false;
  if (q.stream && entry.stream !== q.stream) return false;
  if (q.result && entry.result !== q.result) return false;
  return true;
}

function parseEntry(id: string, fields: string[]): AuditEntry | null {
  const i = fields.indexOf("e");
  if (i < 0 || fields[i + 1] === undefined) return null;
  try {
    return { ...(JSON.parse(fields[i + 1]!) as AuditEntry), id };
  } catch {
    return null;
  }
}

/**
 * Newest first, filtered in memory over bounded XREVRANGE batches: at most 10,000 entries are
 * looked at per call; `next` continues where it stopped, so sparse filters page on.
 */
export async function readAudit(redis: Redis, q: AuditQuery): Promise<AuditResponse> {
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  let end = q.cursor ? `(${q.cursor}` : q.to !== undefined ? String(q.to) : "+";
  const start = q.from !== undefined ? String(q.from) : "-";
  const entries: AuditEntry[] = [];
  let scanned = 0;
  let lastId: string | null = null;
  for (;;) {
    const rows = (await redis.xrevrange(auditKey(), end, start, "COUNT", BATCH)) as [string, string[]][];
    for (const [id, fields] of rows) {
      lastId = id;
      scanned++;
      const entry = parseEntry(id, fields);
      if (entry && matches(entry, q)) {
        entries.push(entry);
        if (entries.length >= limit) return { entries, next: id };
      }
    }
    if (rows.length < BATCH) return { entries, next: null };
    if (scanned >= MAX_SCANNED_PER_QUERY) return { entries, next: lastId };
    end = `(${lastId}`;
  }
}
