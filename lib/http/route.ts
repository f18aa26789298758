import "server-only";
import { AppError, notFound } from "@/lib/errors";
import { toAppError } from "@/lib/redis/errors";
import { connectionForRequest, readConnectionForRequest, writeConnectionForRequest } from "@/lib/redis/client";
import type { RedisConnection } from "@/lib/redis/connection";
import { getSettings, type Settings } from "@/lib/config/settings";
import { log, safeErr } from "@/lib/log";
import { getAuth } from "@/lib/auth/config";
import { authenticate, type Identity } from "@/lib/auth/identity";
import {
  clientIp,
  HSTS,
  hostAllowed,
  isSafeMethod,
  isSecureRequest,
  needsJsonContentType,
  sameOrigin,
} from "@/lib/auth/request-checks";
import { permissionAllowedInMode, roleAllows, type Permission } from "@/lib/auth/roles";
import { canSeeStream, rememberIdentity } from "@/lib/auth/scope";
import { refuseAppKey } from "@/lib/redis/app-keys";
import { recordAnonymousAudit, recordAudit } from "@/lib/audit/audit";
import { assertDeclaredSize } from "@/lib/http/parse";
import { peekJsonBody, targetsFromBody, touchedFromResult } from "@/lib/http/audit-fields";
import type { AuditEntry } from "@/lib/contract/audit";
import { unescapeSegment } from "@/lib/contract/segment";
import { getEnv } from "@/lib/env";
import { clearSharedReads, sharedRead } from "@/lib/runtime/shared-read";

/**
 * What a route needs from the caller. `read` for every GET, `operate` for message actions,
 * `admin` for destructive admin. Access control lives here: one place for every route.
 */
export type { Permission };

export interface RouteSpec {
  permission: Permission;
  /** Name of the mutation, for the audit trail. */
  action?: string;
  /** No login needed (login itself, logout, the OIDC redirects). Host and origin checks still apply. */
  public?: boolean;
  /** Also accept auth.metricsToken as a bearer token (only /api/metrics). */
  metricsToken?: boolean;
  /**
   * Only for callers who see every stream (403 for a user or token with `streams`): routes that
   * act on or describe every stream at once (worker run, alert evaluation, history sample,
   * settings edits, the audit trail).
   */
  globalScope?: boolean;
  /**
   * A polled read: identical requests (same path, same query, same caller scope and role) share
   * one run of the handler for READ_CACHE_MS (lib/runtime/shared-read.ts), and the answer
   * carries `asOf`, when its data was read. A request that may change something clears the kept
   * answers about its stream (`params.key`), or every one when it names no stream.
   */
  shared?: boolean;
}

/** What Next.js passes a route handler. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * What apiRoute hands each handler: the request's path parameters (unescaped), its connections
 * and settings (opened and read on first use, then kept for the request), its clock, and who asks
 * with what they may see. Handlers pass these down; lib functions do not fetch them.
 */
export interface RequestContext {
  params: Record<string, string | string[] | undefined>;
  /** The read connection (after checking that the server is supported). */
  redis: () => Promise<RedisConnection>;
  /**
   * The read connection for work that must reach every node of a Redis Cluster (the Cluster
   * client there; the same connection as `redis()` on a single server).
   */
  connection: () => Promise<RedisConnection>;
  /** The write connection, for routes that change something. */
  writeRedis: () => Promise<RedisConnection>;
  /** The effective settings, read once per request. */
  settings: () => Promise<Settings>;
  /** When the request started (ms since the epoch). */
  now: number;
  /** Null on public routes. */
  identity: Identity | null;
  /** Whether the caller may see a stream (nobody sees nothing). */
  visible: (key: string) => boolean;
  /** True when the caller sees every stream (no `streams` globs). */
  seesEveryStream: boolean;
  /**
   * Work the answer waits for but that does not shape it (the alerts' re-evaluation after an
   * action): it runs beside the audit write instead of before it. A rejection is logged.
   */
  beforeAnswer: (work: Promise<unknown>) => void;
}

/** A handler answers its contract type (JSON with status 200), or a Response of its own. */
export type Handler<T> = (req: Request, ctx: RequestContext) => Promise<T | Response>;

/** What a route module exports: Next.js calls it; `answer` only carries the contract type for type checks. */
export type ApiRoute<T> = ((req: Request, ctx: RouteContext) => Promise<Response>) & { readonly answer?: T };

/** The contract type a route answers with. */
export type AnswerOf<R> = R extends ApiRoute<infer T> ? T : never;

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (cached ??= load());
}

function requestContext(
  params: RequestContext["params"],
  identity: Identity | null,
  readOnly: boolean,
  beforeAnswer: RequestContext["beforeAnswer"],
): RequestContext {
  // REDIS_READ_FROM=replica: a GET reads from replicas; a request that may change something never does.
  const connection = once(readOnly ? readConnectionForRequest : connectionForRequest);
  return {
    params,
    redis: connection,
    connection,
    writeRedis: once(writeConnectionForRequest),
    settings: once(async () => getSettings(await connection())),
    now: Date.now(),
    identity,
    visible: identity ? (key) => canSeeStream(identity, key) : () => false,
    seesEveryStream: !!identity && !identity.streams,
    beforeAnswer,
  };
}

export function errorResponse(err: unknown, req?: Request): Response {
  const known = toAppError(err);
  if (known instanceof AppError) {
    return Response.json(known.toBody(), { status: known.status, headers: noStore });
  }
  log.error({ err: safeErr(err), path: req ? new URL(req.url).pathname : undefined }, "unhandled error in route");
  return Response.json(new AppError("INTERNAL", "Internal error (logged on the server)").toBody(), {
    status: 500,
    headers: noStore,
  });
}

const noStore = { "cache-control": "no-store" };

/**
 * What makes two requests of a shared read the same question: the path, the query with its
 * parameters sorted, and who may see what (role and stream globs), so that a caller limited to
 * some streams never gets an answer computed for another scope.
 */
export function sharedReadKey(req: Request, identity: Identity | null): string {
  const url = new URL(req.url);
  const query = [...url.searchParams].sort(([a, x], [b, y]) =>
    a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1,
  );
  const scope = identity
    ? `${identity.role}|${identity.streams ? [...identity.streams].sort().join("\n") : "all"}`
    : "none";
  return JSON.stringify([url.pathname, query, scope]);
}

interface SharedAnswer {
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * A shared read's answer as text, so that each caller gets a Response of its own: the handler's
 * value with `asOf` (when the read started) as JSON, or the handler's own Response, read out.
 */
async function sharedAnswer(run: () => Promise<unknown>): Promise<SharedAnswer> {
  const asOf = Date.now();
  const result = await run();
  if (result instanceof Response) {
    return { status: result.status, headers: [...result.headers], body: await result.text() };
  }
  const value = result !== null && typeof result === "object" && !Array.isArray(result) ? { ...result, asOf } : result;
  return {
    status: 200,
    headers: [["content-type", "application/json"], ...Object.entries(noStore)],
    body: JSON.stringify(value),
  };
}

/**
 * Decides whether this request may run the route. Order: Host served here (DNS rebinding) →
 * credentials (401 before anything that depends on who asks) → same-origin for mutations (CSRF;
 * bearer tokens exempt) → read-only mode → role ≥ permission → global scope when the route needs
 * it → stream scope on `params.key`.
 */
async function admit(
  req: Request,
  spec: RouteSpec,
  params: Record<string, unknown>,
  seen: { identity: Identity | null },
): Promise<Identity | null> {
  const auth = getAuth();
  if (!hostAllowed(req, auth)) {
    throw new AppError(
      "FORBIDDEN",
      "This host name is not served here (configure auth.publicUrl or auth.allowedHosts)",
    );
  }
  const identity = spec.public ? null : await authenticate(req, { metricsToken: spec.metricsToken });
  if (!spec.public && !identity) throw new AppError("UNAUTHORIZED", "Log in or send a valid API token");
  seen.identity = identity;
  const viaBearer = identity?.method === "token" || identity?.method === "metrics-token";
  if (!isSafeMethod(req.method) && !viaBearer && !sameOrigin(req, auth)) {
    throw new AppError("FORBIDDEN", "Cross-origin request refused");
  }
  if (!viaBearer && needsJsonContentType(req)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json (Content-Type: application/json)");
  }
  if (!identity) return null;
  refuseAppKey(params.key);
  // Read-only mode refuses every route that can change something; admin-only reads (the
  // audit trail) stay readable.
  if (!isSafeMethod(req.method) && !permissionAllowedInMode(spec.permission, auth.readOnly)) {
    throw new AppError("FORBIDDEN", "Streamscope is in read-only mode");
  }
  if (!roleAllows(identity.role, spec.permission)) {
    throw new AppError("FORBIDDEN", `Your role (${identity.role}) cannot do this; it needs ${spec.permission}`);
  }
  if (spec.globalScope && identity.streams) {
    throw new AppError("FORBIDDEN", "Your access is limited to some streams; this needs access to every stream");
  }
  // Out of scope answers exactly as a missing key, so that scope hides existence and type too.
  if (typeof params.key === "string" && !canSeeStream(identity, params.key)) {
    throw notFound(`No stream named "${params.key}"`);
  }
  return identity;
}

async function audit(
  req: Request,
  spec: RouteSpec & { action: string },
  params: Record<string, unknown>,
  identity: Identity | null,
  outcome: { status: number; result: unknown; body: unknown; reason?: string },
): Promise<void> {
  const entry: AuditEntry = {
    time: Date.now(),
    who: identity?.user ?? "anonymous",
    role: identity?.role ?? null,
    method: identity?.method ?? "none",
    ip: clientIp(req),
    userAgent: req.headers.get("user-agent") ?? "",
    action: spec.action,
    ...(typeof params.key === "string" ? { stream: params.key } : {}),
    ...(typeof params.group === "string" ? { group: params.group } : {}),
    ...targetsFromBody(outcome.body, outcome.result),
    touched: outcome.status < 400 ? touchedFromResult(outcome.result) : 0,
    result: outcome.status < 400 ? "ok" : outcome.status === 401 || outcome.status === 403 ? "denied" : "error",
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
  };
  // Refusals of anonymous callers go to a trail of their own, so that a flood cannot rotate real entries out.
  await (identity ? recordAudit(entry) : recordAnonymousAudit(entry));
}

/**
 * Wraps a route handler: access control and the audit trail, then errors become the one JSON
 * error shape with a real status and values become JSON responses. `T` is the answer's contract
 * type: `apiRoute<AckResponse>(spec, handler)`. Every answer says how long it took here, from the
 * handler's start to its answer, JSON included (`Server-Timing: app;dur=<ms>`): browsers' network
 * panels show it beside the whole request's time, and bench/overview.ts sums it.
 */
export function apiRoute<T>(spec: RouteSpec, handler: Handler<T>): ApiRoute<T> {
  const route = routeHandler(spec, handler);
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const started = performance.now();
    const res = await route(req, ctx);
    await drainUnreadBody(req);
    return withHsts(req, withHeader(res, "server-timing", `app;dur=${(performance.now() - started).toFixed(1)}`));
  };
}

/** Unread request bodies read and dropped before answering, up to this many bytes and this long. */
export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;
const DRAIN_MAX_MS = 1000;

/**
 * A request refused before its body was read (401, 403, 413, ...): the rest of the body is read and
 * dropped first, within bounds. Closing a connection with unread data in it makes the kernel reset
 * it, and a client still sending would lose the answer instead of reading the refusal.
 */
async function drainUnreadBody(req: Request): Promise<void> {
  // A body read in part (a refusal over the size limit) is unlocked again and read on from there.
  if (!req.body || req.body.locked || isSafeMethod(req.method)) return;
  const reader = req.body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<null>((r) => (timer = setTimeout(() => r(null), DRAIN_MAX_MS)));
  let bytes = 0;
  try {
    while (bytes <= DRAIN_MAX_BYTES) {
      const chunk = await Promise.race([reader.read(), outOfTime]);
      if (!chunk || chunk.done) return;
      bytes += chunk.value.byteLength;
    }
  } catch {
    // The client went away: nothing left to protect.
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

/** Over https every answer carries HSTS (pages get it from proxy.ts, which API requests skip). */
export function withHsts(req: Request, res: Response): Response {
  return isSecureRequest(req, getAuth()) ? withHeader(res, "strict-transport-security", HSTS) : res;
}

function withHeader(res: Response, name: string, value: string): Response {
  try {
    res.headers.set(name, value);
    return res;
  } catch {
    // Headers of some Responses (Response.redirect, fetch answers) cannot change: answer a copy.
    const headers = new Headers(res.headers);
    headers.set(name, value);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
}

function routeHandler<T>(spec: RouteSpec, handler: Handler<T>): (req: Request, ctx: RouteContext) => Promise<Response> {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const raw: Record<string, unknown> = (await Promise.resolve(ctx.params).catch(() => undefined)) ?? {};
    const params = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? unescapeSegment(v) : v]),
    ) as RequestContext["params"];
    const seen: { identity: Identity | null } = { identity: null };
    // What a shared read is about, and what a change clears (every kept answer when no stream).
    const stream = typeof params.key === "string" ? params.key : undefined;
    let body: unknown;
    const besides: Promise<unknown>[] = [];
    const beforeAnswer = (work: Promise<unknown>) =>
      besides.push(work.catch((err: unknown) => log.warn({ err: safeErr(err) }, "work beside an answer failed")));
    // The audit write and the work the handler left beside it, then the stream's kept answers
    // cleared again: that work (an alert re-evaluation) can change what they show.
    const finish = async (auditing?: Promise<void>) => {
      await Promise.all([auditing, ...besides]);
      if (besides.length > 0 && !isSafeMethod(req.method)) clearSharedReads(stream);
    };
    try {
      const identity = await admit(req, spec, params, seen);
      if (identity) rememberIdentity(req, identity);
      assertDeclaredSize(req);
      if (spec.action) body = await peekJsonBody(req);
      const run = () => handler(req, requestContext(params, identity, isSafeMethod(req.method), beforeAnswer));
      if (spec.shared && isSafeMethod(req.method)) {
        const answer = await sharedRead(sharedReadKey(req, identity), getEnv().READ_CACHE_MS, () => sharedAnswer(run), {
          size: (a) => a.body.length,
          ...(stream !== undefined ? { stream } : {}),
        });
        return new Response(answer.body, { status: answer.status, headers: answer.headers });
      }
      const result = await run().finally(() => {
        if (!isSafeMethod(req.method)) clearSharedReads(stream);
      });
      if (result instanceof Response) {
        if (spec.action) {
          const json = result.headers.get("content-type")?.includes("json")
            ? await result
                .clone()
                .json()
                .catch(() => null)
            : null;
          await finish(
            audit(req, spec as RouteSpec & { action: string }, params, seen.identity, {
              status: result.status,
              result: json,
              body,
            }),
          );
        } else await finish();
        return result;
      }
      await finish(
        spec.action
          ? audit(req, spec as RouteSpec & { action: string }, params, seen.identity, { status: 200, result, body })
          : undefined,
      );
      return Response.json(result, { headers: noStore });
    } catch (err) {
      const res = errorResponse(err, req);
      if (spec.action) {
        // A refused caller we know: record what they tried (anonymous payloads are not read).
        if (body === undefined && seen.identity && !req.bodyUsed) body = await peekJsonBody(req).catch(() => undefined);
        const known = toAppError(err);
        const reason = known instanceof AppError ? known.code : "INTERNAL";
        await finish(
          audit(req, spec as RouteSpec & { action: string }, params, seen.identity, {
            status: res.status,
            result: null,
            body,
            reason,
          }),
        );
      } else await finish();
      return res;
    }
  };
}
