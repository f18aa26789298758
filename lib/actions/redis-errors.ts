import { AppError, ERROR_STATUS, badRequest, notFound, type ErrorCode } from "@/lib/errors";

/**
 * Turns the errors our scripts raise (and Redis's own reply errors for stream commands) into
 * AppErrors with the right status. A script error that starts with an application error code
 * (`REQUEUE_NEEDS_ALL_GROUPS ...`) keeps that code. Anything else is rethrown unchanged.
 */
export function toAppError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof AppError) return err;
  const message = err.message.replace(/ script: .*$/s, "");
  const rest = (code: string) => message.slice(code.length).trim();
  const code = /^([A-Z_]+) /.exec(message)?.[1];
  if (code !== undefined && Object.hasOwn(ERROR_STATUS, code)) return new AppError(code as ErrorCode, capitalize(rest(code)));
  if (message.startsWith("NOTFOUND")) return notFound(capitalize(rest("NOTFOUND")));
  if (message.startsWith("NOGROUP")) return notFound(capitalize(rest("NOGROUP")));
  if (message.startsWith("BUSYGROUP")) return new AppError("CONFLICT", capitalize(rest("BUSYGROUP")));
  if (message.startsWith("WRONGTYPE")) return new AppError("WRONG_TYPE", capitalize(rest("WRONGTYPE")));
  if (/Invalid stream ID|smaller than the target stream top item|equal or smaller than/i.test(message)) {
    return badRequest(message.replace(/^ERR\s*/, ""));
  }
  return err;
}

/** Runs a Redis call, translating its reply errors. */
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
