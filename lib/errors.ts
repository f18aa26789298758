/**
 * The one error shape of the API: `{error: {code, message}}` with a real HTTP status.
 * Shared by route handlers (server) and the fetcher (browser), so it imports nothing server-only.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  WRONG_TYPE: 409,
  CONFLICT: 409,
  /** A requeue on a stream read by several groups, without `allGroups: true` (JS and the move script). */
  REQUEUE_NEEDS_ALL_GROUPS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  /** This instance already tails as many streams (or serves as many live viewers) as it may. */
  TAIL_LIMIT: 429,
  INTERNAL: 500,
  REDIS_UNAVAILABLE: 503,
  UNSUPPORTED_VERSION: 503,
  TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError("BAD_REQUEST", message, details);
export const notFound = (message: string) => new AppError("NOT_FOUND", message);
export const wrongType = (key: string, actual: string) =>
  new AppError("WRONG_TYPE", `Key "${key}" holds a ${actual}, not a stream`);

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}
