import pino from "pino";

/** Structured server log. Secrets are redacted by path wherever they appear. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { app: "streamscope" },
  redact: {
    paths: ["password", "*.password", "redisUrl", "*.redisUrl", "authorization", "*.authorization", "cookie", "*.cookie"],
    censor: "[redacted]",
  },
});
