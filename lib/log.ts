import pino, { type DestinationStream } from "pino";

/** Paths redacted wherever they appear in a log line: credentials and anything that may hold one. */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "redisUrl",
  "*.redisUrl",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "secret",
  "*.secret",
  "sessionSecret",
  "*.sessionSecret",
  "clientSecret",
  "*.clientSecret",
  "token",
  "*.token",
  "passwordHash",
  "*.passwordHash",
  "tokenHash",
  "*.tokenHash",
  // ioredis errors carry the failed command's arguments (AUTH's would be the password).
  "err.command.args",
  "*.err.command.args",
];

export function createLogger(destination?: DestinationStream) {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
      base: { app: "streamscope" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}

/** Structured server log. Secrets are redacted by path wherever they appear. */
export const log = createLogger();

/**
 * An error as it may be logged: name, message, code and stack, never the extra properties a
 * client library attaches (ioredis puts the failed command and its arguments there: AUTH's
 * arguments are the password).
 */
export function safeErr(err: unknown): { name?: string; message: string; code?: unknown; stack?: string } {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 500) };
  return { name: err.name, message: err.message, code: (err as { code?: unknown }).code, stack: err.stack };
}
