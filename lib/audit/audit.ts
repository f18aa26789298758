import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RedisConnection } from "@/lib/redis/connection";
import { getAuth } from "@/lib/auth/config";
import { getEnv } from "@/lib/env";
import { appKey } from "@/lib/redis/app-keys";
import { getConnection } from "@/lib/redis/client";
import { log } from "@/lib/log";
import { rangePages } from "@/lib/streams/range-pages";
import { requestRange } from "@/lib/streams/range";
import type { AuditEntry, AuditQuery, AuditResponse, AuditTrail } from "@/lib/contract/audit";

/**
 * The audit trail: two capped Redis streams under the app prefix (see AuditTrail), one JSON
 * field per entry and its signature. Writers never fail the request they record (a Redis outage
 * loses the entry, logged).
 */
const MAX_SCANNED_PER_QUERY = 10_000;
const BATCH = 500;

export function auditKey(trail: AuditTrail = "main"): string {
  return trail === "main" ? appKey("audit") : appKey("audit", "anonymous");
}

/** Entries each trail keeps (`XADD MAXLEN ~`): AUDIT_MAXLEN, and a tenth of it for anonymous refusals. */
export function auditMaxLen(trail: AuditTrail): number {
  const main = getEnv().AUDIT_MAXLEN;
  return trail === "main" ? main : Math.max(1000, Math.floor(main / 10));
}

/**
 * HMAC-SHA256 of the stored JSON and the trail's name, keyed with a key derived from the session
 * secret (a per-process random key without one): a Redis user who can write the stream cannot
 * add or alter an entry that reads back as verified.
 */
const macKeys = new WeakMap<Buffer, Buffer>();

function entryMac(trail: AuditTrail, json: string): Buffer {
  const sessionKey = getAuth().sessionKey;
  let key = macKeys.get(sessionKey);
  if (!key) {
    key = createHmac("sha256", sessionKey).update("streamscope audit trail").digest();
    macKeys.set(sessionKey, key);
  }
  return createHmac("sha256", key).update(`${trail}\n${json}`).digest();
}

function macMatches(trail: AuditTrail, json: string, mac: string | undefined): boolean {
  if (mac === undefined) return false;
  const given = Buffer.from(mac, "base64url");
  const expected = entryMac(trail, json);
  return given.length === expected.length && timingSafeEqual(given, expected);
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
  if (out.job !== undefined) out.job = clip(out.job, 64);
  if (out.ids) out.ids = out.ids.slice(0, 20).map((id) => clip(String(id), 64));
  delete out.id;
  delete out.verified;
  return out;
}

async function append(trail: AuditTrail, entry: AuditEntry, given: RedisConnection | undefined): Promise<void> {
  try {
    const json = JSON.stringify(normalizeEntry(entry));
    // The process's connection: on a cluster the Cluster client, which sends the XADD to the trail's node.
    const redis = given ?? (await getConnection());
    await redis.xadd(
      auditKey(trail),
      "MAXLEN",
      "~",
      auditMaxLen(trail),
      "*",
      "e",
      json,
      "m",
      entryMac(trail, json).toString("base64url"),
    );
  } catch (err) {
    log.warn({ err: (err as Error).message, action: entry.action, who: entry.who }, "audit entry not recorded");
  }
}

/**
 * Appends one entry of an authenticated caller (also for the worker:
 * `recordAudit({who: "worker", method: "worker", ...})`).
 */
export function recordAudit(entry: AuditEntry, redis?: RedisConnection): Promise<void> {
  return append("main", entry, redis);
}

/** Appends a refusal of a caller who is not authenticated (a failed login included). */
export function recordAnonymousAudit(entry: AuditEntry, redis?: RedisConnection): Promise<void> {
  return append("anonymous", entry, redis);
}

function matches(entry: AuditEntry, q: AuditQuery): boolean {
  if (q.actor && !entry.who.toLowerCase().includes(q.actor.toLowerCase())) return false;
  if (q.action && entry.action !== q.action) return false;
  if (q.stream && entry.stream !== q.stream) return false;
  if (q.result && entry.result !== q.result) return false;
  return true;
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

const RESULTS: readonly unknown[] = ["ok", "error", "denied"];

/**
 * A stored entry in the shape and sizes the writer gives, whatever the stream holds: anyone who
 * can write to Redis can add entries (they read back unverified), and the reader must not trust
 * their shape.
 */
function fromStored(raw: Record<string, unknown>): AuditEntry {
  // One more character than the writer keeps: its own "…".
  const text = (v: unknown, max = MAX_STRING) => clip(typeof v === "string" ? v : "", max + 1);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const entry: AuditEntry = {
    time: num(raw.time) ?? 0,
    who: text(raw.who, 200),
    role: typeof raw.role === "string" ? clip(raw.role, 50) : null,
    method: text(raw.method, 50),
    ip: text(raw.ip, 100),
    userAgent: text(raw.userAgent, 300),
    action: text(raw.action, 100),
    touched: num(raw.touched),
    result: RESULTS.includes(raw.result) ? (raw.result as AuditEntry["result"]) : "error",
    status: num(raw.status) ?? 0,
  };
  if (typeof raw.stream === "string") entry.stream = text(raw.stream);
  if (typeof raw.group === "string") entry.group = text(raw.group);
  if (typeof raw.filter === "string") entry.filter = text(raw.filter);
  if (typeof raw.reason === "string") entry.reason = text(raw.reason, 200);
  if (Array.isArray(raw.ids)) entry.ids = raw.ids.slice(0, 20).map((id) => text(id, 64));
  if (num(raw.idCount) !== null) entry.idCount = num(raw.idCount)!;
  if (raw.dryRun === true) entry.dryRun = true;
  if (typeof raw.job === "string") entry.job = text(raw.job, 64);
  return entry;
}

function parseEntry(trail: AuditTrail, id: string, fields: string[]): AuditEntry | null {
  const json = fieldOf(fields, "e");
  if (json === undefined) return null;
  try {
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    return {
      ...fromStored(parsed as Record<string, unknown>),
      id,
      verified: macMatches(trail, json, fieldOf(fields, "m")),
    };
  } catch {
    return null;
  }
}

/**
 * Newest first, filtered in memory over bounded XREVRANGE batches: at most 10,000 entries are
 * looked at per call; `next` continues where it stopped, so sparse filters page on.
 */
export async function readAudit(redis: RedisConnection, q: AuditQuery): Promise<AuditResponse> {
  const trail = q.trail ?? "main";
  const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
  const upper = q.cursor ? `(${q.cursor}` : q.to !== undefined ? String(q.to) : undefined;
  const range = requestRange(upper, q.from !== undefined ? String(q.from) : undefined, "desc");
  const entries: AuditEntry[] = [];
  let scanned = 0;
  let lastId: string | null = null;
  let walked = false;
  const cap = () => Math.min(BATCH, MAX_SCANNED_PER_QUERY - scanned);
  for await (const { reply, end } of rangePages(redis, auditKey(trail), range, "desc", cap)) {
    walked = end;
    for (const [rawId, fields] of reply) {
      const id = rawId.toString();
      lastId = id;
      scanned++;
      const entry = parseEntry(trail, id, fields.map(String));
      if (entry && matches(entry, q)) {
        entries.push(entry);
        if (entries.length >= limit) return { entries, next: id };
      }
    }
  }
  return { entries, next: walked || lastId === null ? null : lastId };
}
