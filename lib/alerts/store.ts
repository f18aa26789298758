import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { ALERT_RULES, type Alert } from "@/lib/contract/alerts";
import { notFound } from "@/lib/errors";
import { appKey, appSetKey } from "@/lib/redis/app-keys";
import { pipelineForKeys, readHashInPages } from "@/lib/redis/keyspace";
import type { Condition } from "./rules";

/**
 * Alert lifecycle in Redis under the app prefix:
 *   alerts:records   hash  id -> JSON record (firing or resolved), one per rule+stream+group+consumer
 *   alerts:resolved  zset  id -> resolvedAt, for retention (RESOLVED_KEEP_MS, at most RESOLVED_MAX)
 *   alerts:silences  hash  id -> silenced-until ms; kept apart so a silence never races an evaluation
 * The records hash holds the firing alerts (bounded by the streams evaluated) plus at most
 * RESOLVED_MAX resolved ones; it is read in HSCAN pages (readHashInPages), so no one command grows
 * with it. One MULTI with a script updates the
 * three together: on a Redis Cluster they share the hash tag `{alerts}` (appSetKey).
 */
export const RESOLVED_KEEP_MS = 7 * 86400_000;
export const RESOLVED_MAX = 1000;

export const alertKeys = {
  records: (redis?: RedisConnection) => appSetKey(redis, "alerts", "records"),
  resolved: (redis?: RedisConnection) => appSetKey(redis, "alerts", "resolved"),
  silences: (redis?: RedisConnection) => appSetKey(redis, "alerts", "silences"),
  /** Per dead-letter stream: entries-added last seen and when it last grew (JSON, expires after a day). */
  deadLetter: (stream: string) => appKey("alerts", "dead-letter", stream),
  cursor: () => appKey("alerts", "cursor"),
};

export type StoredAlert = Omit<Alert, "silencedUntil"> & { value: number };

function parseRecord(raw: string): StoredAlert | null {
  try {
    const r = JSON.parse(raw) as StoredAlert;
    return typeof r.id === "string" && (ALERT_RULES as readonly string[]).includes(r.rule) ? r : null;
  } catch {
    return null;
  }
}

/** How many alert records are kept (firing and resolved): HLEN, O(1). */
export function alertRecordCount(redis: RedisConnection): Promise<number> {
  return redis.hlen(alertKeys.records(redis));
}

export async function readRecords(redis: RedisConnection): Promise<Map<string, StoredAlert>> {
  const raw = await readHashInPages(redis, alertKeys.records(redis));
  const out = new Map<string, StoredAlert>();
  for (const [id, v] of raw) {
    const r = parseRecord(v);
    if (r) out.set(id, r);
  }
  return out;
}

async function readSilences(redis: RedisConnection): Promise<Map<string, number>> {
  const raw = await readHashInPages(redis, alertKeys.silences(redis));
  return new Map([...raw].map(([id, v]) => [id, Number(v)]));
}

function present(r: StoredAlert, silences: Map<string, number>, now: number): Alert {
  const until = silences.get(r.id);
  const { value: _value, ...alert } = r;
  void _value;
  return { ...alert, silencedUntil: until !== undefined && until > now ? until : null };
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Every alert record and silence: what applyConditions merges an evaluation into. */
export interface AlertStoreState {
  records: Map<string, StoredAlert>;
  silences: Map<string, number>;
}

export async function readAlertStoreState(redis: RedisConnection): Promise<AlertStoreState> {
  const [records, silences] = await Promise.all([readRecords(redis), readSilences(redis)]);
  return { records, silences };
}

export async function listAlerts(redis: RedisConnection, now: number): Promise<Alert[]> {
  const { records, silences } = await readAlertStoreState(redis);
  return [...records.values()]
    .map((r) => present(r, silences, now))
    .sort((a, b) => {
      if (a.state !== b.state) return a.state === "firing" ? -1 : 1;
      if (a.state === "firing")
        return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.firstSeen - a.firstSeen;
      return (b.resolvedAt ?? 0) - (a.resolvedAt ?? 0);
    });
}

/** Alert ids per HMGET: a page's worth of groups in a few bounded commands. */
const IDS_PER_READ = 500;

/** The records of these alert ids (unknown ids left out): HMGETs of at most IDS_PER_READ fields, in one pipeline. */
export async function readAlertsById(redis: RedisConnection, ids: readonly string[]): Promise<StoredAlert[]> {
  if (ids.length === 0) return [];
  const key = alertKeys.records(redis);
  const pipe = redis.pipeline();
  for (let i = 0; i < ids.length; i += IDS_PER_READ) pipe.hmget(key, ...ids.slice(i, i + IDS_PER_READ));
  const out: StoredAlert[] = [];
  for (const [err, values] of (await pipe.exec()) ?? []) {
    if (err) throw err;
    for (const raw of values as (string | null)[]) {
      const r = raw ? parseRecord(raw) : null;
      if (r) out.push(r);
    }
  }
  return out;
}

export async function getAlert(redis: RedisConnection, id: string, now: number): Promise<Alert | null> {
  const [raw, until] = await Promise.all([
    redis.hget(alertKeys.records(redis), id),
    redis.hget(alertKeys.silences(redis), id),
  ]);
  const r = raw ? parseRecord(raw) : null;
  if (!r) return null;
  return present(r, new Map(until ? [[id, Number(until)]] : []), now);
}

/** Silences an alert for `forMs` from `now`; 0 lifts the silence. 404 for an unknown id or an alert on a stream not `visible`. */
export async function silenceAlert(
  redis: RedisConnection,
  id: string,
  forMs: number,
  now: number,
  visible: (stream: string) => boolean = () => true,
): Promise<Alert> {
  const current = await getAlert(redis, id, now);
  if (!current || !visible(current.stream)) throw notFound(`No alert with id "${id}"`);
  if (forMs === 0) await redis.hdel(alertKeys.silences(redis), id);
  else await redis.hset(alertKeys.silences(redis), id, String(now + forMs));
  const alert = await getAlert(redis, id, now);
  if (!alert) throw notFound(`No alert with id "${id}"`);
  return alert;
}

export interface Transition {
  alert: Alert;
  value: number;
  /** Whether a notification should go out (not silenced). */
  notify: boolean;
}

export interface ApplyResult {
  fired: Transition[];
  resolved: Transition[];
  firing: number;
  /** Removed by retention. */
  trimmed: number;
}

// Retention for resolved alerts, atomically: drop those older than ARGV[1], then the oldest
// beyond ARGV[2]. Each step is capped at 1000 ids per call.
const TRIM_SCRIPT = `
local removed = 0
local function drop(ids)
  for _, id in ipairs(ids) do
    redis.call('HDEL', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('ZREM', KEYS[2], id)
    removed = removed + 1
  end
end
drop(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, 1000))
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[2])
if over > 0 then drop(redis.call('ZRANGE', KEYS[2], 0, math.min(over, 1000) - 1)) end
return removed
`;

/**
 * Merges the conditions of one evaluation into the store: new conditions fire (or fire again),
 * held ones refresh lastSeen, firing alerts whose stream was evaluated (or no longer exists)
 * and whose condition is gone resolve. `state` is the store as read by the caller (read here
 * without it), so that its round trip can overlap the evaluation's own reads.
 */
export async function applyConditions(
  redis: RedisConnection,
  input: { conditions: readonly Condition[]; evaluatedStreams: ReadonlySet<string>; now: number },
  state?: AlertStoreState,
): Promise<ApplyResult> {
  const { now } = input;
  const { records, silences } = state ?? (await readAlertStoreState(redis));
  const changed = new Map<string, StoredAlert>();
  const fired: Transition[] = [];
  const resolved: Transition[] = [];
  const silenced = (id: string) => (silences.get(id) ?? 0) > now;

  const seen = new Set<string>();
  for (const c of input.conditions) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const prev = records.get(c.id);
    const common = {
      rule: c.rule,
      stream: c.stream,
      group: c.group,
      consumer: c.consumer,
      severity: c.severity,
      message: c.message,
      link: c.link,
      value: c.value,
    };
    if (prev && prev.state === "firing") {
      changed.set(c.id, { ...prev, ...common, lastSeen: now });
    } else {
      const next: StoredAlert = {
        id: c.id,
        ...common,
        state: "firing",
        firstSeen: now,
        lastSeen: now,
        resolvedAt: null,
      };
      changed.set(c.id, next);
      fired.push({ alert: present(next, silences, now), value: c.value, notify: !silenced(c.id) });
    }
  }

  const gone: StoredAlert[] = [];
  const unknown: StoredAlert[] = [];
  for (const r of records.values()) {
    if (r.state !== "firing" || seen.has(r.id)) continue;
    if (input.evaluatedStreams.has(r.stream)) gone.push(r);
    else unknown.push(r);
  }
  if (unknown.length > 0) {
    const exists = await pipelineForKeys(
      redis,
      unknown.map((r) => r.stream),
      (pipe, key) => pipe.exists(key),
    );
    unknown.forEach((r, i) => {
      const reply = exists[i]?.[0];
      if (reply && !reply[0] && reply[1] === 0) gone.push(r);
    });
  }
  for (const r of gone) {
    const next: StoredAlert = { ...r, state: "resolved", resolvedAt: now };
    changed.set(r.id, next);
    resolved.push({ alert: present(next, silences, now), value: r.value, notify: !silenced(r.id) });
  }

  const multi = redis.multi();
  if (changed.size > 0) {
    multi.hset(alertKeys.records(redis), Object.fromEntries([...changed].map(([id, r]) => [id, JSON.stringify(r)])));
  }
  if (fired.length > 0) multi.zrem(alertKeys.resolved(redis), ...fired.map((t) => t.alert.id));
  for (const t of resolved) multi.zadd(alertKeys.resolved(redis), now, t.alert.id);
  const expiredSilences = [...silences].filter(([, until]) => until <= now).map(([id]) => id);
  if (expiredSilences.length > 0) multi.hdel(alertKeys.silences(redis), ...expiredSilences);
  multi.eval(
    TRIM_SCRIPT,
    3,
    alertKeys.records(redis),
    alertKeys.resolved(redis),
    alertKeys.silences(redis),
    now - RESOLVED_KEEP_MS,
    RESOLVED_MAX,
  );
  const results = (await multi.exec()) ?? [];
  const trimmed = Number(results[results.length - 1]?.[1] ?? 0);

  let firing = 0;
  for (const r of records.values()) if ((changed.get(r.id) ?? r).state === "firing") firing++;
  for (const [id, r] of changed) if (!records.has(id) && r.state === "firing") firing++;
  return { fired, resolved, firing, trimmed };
}
