import "server-only";
import { AppError, type ErrorCode } from "@/lib/errors";
import { log, safeErr } from "@/lib/log";
import { connectionProblem, isConnectionError, isFailoverError } from "./client";

/**
 * One row of the translation from a Redis error reply to an application error. `reply` matches
 * the start of the reply (Redis's own error prefixes and the ones our Lua scripts raise).
 */
export interface ReplyRule {
  reply: RegExp;
  code: ErrorCode;
  /** A fixed message; without one, the reply's own text after the match, capitalized. */
  message?: string;
  /** Also logged as an error (a problem of the deployment, not of the request). */
  logAs?: string;
}

/** The one table: every Redis error reply the app answers with something better than a 500. */
export const REPLY_RULES: readonly ReplyRule[] = [
  { reply: /^NOTFOUND\b/, code: "NOT_FOUND" },
  { reply: /^NOGROUP\b/, code: "NOT_FOUND" },
  { reply: /^CONFLICT\b/, code: "CONFLICT" },
  { reply: /^REQUEUE_NEEDS_ALL_GROUPS\b/, code: "REQUEUE_NEEDS_ALL_GROUPS" },
  { reply: /^BUSYGROUP\b/, code: "CONFLICT" },
  { reply: /^WRONGTYPE\b/, code: "WRONG_TYPE" },
  { reply: /^NOPERM\b/, code: "FORBIDDEN", message: "The dashboard's Redis user may not run this command (Redis ACL)" },
  ...(["WRONGPASS", "NOAUTH"] as const).map((prefix): ReplyRule => ({
    reply: new RegExp(`^${prefix}\\b`),
    code: "REDIS_UNAVAILABLE",
    message: "Redis refused the dashboard's credentials (check REDIS_URL)",
    logAs: "redis refused the dashboard's credentials",
  })),
  // A stream id Redis refuses (malformed, or not above the stream's last id).
  {
    reply: /^(?:ERR\s*)?(?=[^]*(?:Invalid stream ID|smaller than the target stream top item|equal or smaller than))/i,
    code: "BAD_REQUEST",
  },
];

export const REDIS_UNREACHABLE = "Redis is unreachable; retrying in the background";
export const REDIS_FAILING_OVER =
  "Redis is failing over (a master is down or its replica is being promoted); retrying in the background";

/**
 * The reply as the table sees it: without the script location Redis appends to an error raised
 * inside a script, and without the wrapper older servers put around it.
 */
function replyOf(message: string): string {
  return message.replace(/ script: .*$/s, "").replace(/^ERR Error running script [^:]*: @[\w_]+:\d+: /, "");
}

/**
 * Redis's errors as AppErrors: a lost connection or a failover in progress (CLUSTERDOWN, TRYAGAIN,
 * MASTERDOWN, READONLY, the cluster client's redirection budget spent) is REDIS_UNAVAILABLE (with
 * the TLS reason when there is one), error replies go through REPLY_RULES. Anything else is
 * returned unchanged.
 */
export function toAppError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof AppError) return err;
  if (isFailoverError(err)) return new AppError("REDIS_UNAVAILABLE", REDIS_FAILING_OVER);
  if (isConnectionError(err)) return new AppError("REDIS_UNAVAILABLE", connectionProblem(err) ?? REDIS_UNREACHABLE);
  const reply = replyOf(err.message);
  for (const rule of REPLY_RULES) {
    const match = rule.reply.exec(reply);
    if (!match) continue;
    if (rule.logAs) log.error({ err: safeErr(err) }, rule.logAs);
    return new AppError(rule.code, rule.message ?? capitalize(reply.slice(match[0].length).trim()));
  }
  return err;
}

/** What an error says to an operator (the worker's notes and job errors): the translated message when Redis said it. */
export function errorText(err: unknown): string {
  const known = toAppError(err);
  return known instanceof Error ? known.message : String(known);
}

/** Runs a Redis call, translating its errors. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toAppError(err);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
