/**
 * Secrets stay on the server: a Redis password (right or wrong) never appears in an answer or
 * a log call, and the logger redacts credential-shaped fields.
 */
import { Writable } from "node:stream";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as healthGET } from "@/app/api/health/route";
import { GET as auditGET } from "@/app/api/audit/route";
import { GET as meGET } from "@/app/api/auth/me/route";
import { createLogger, log } from "@/lib/log";
import { closeRedis } from "@/lib/redis/client";
import { resetProcessState } from "@/lib/runtime/state";
import { startRedisServer, type PrivateRedis } from "../../scripts/lib/redis-server";
import { callRoute } from "../helpers/route";
import { useConfig } from "../helpers/auth";

const PASSWORD = "Sup3r-Secret-Pw-42";
const WRONG = "Wr0ng-Secret-Pw-17";
let server: PrivateRedis;
const originalUrl = process.env.REDIS_URL;
const logged: string[] = [];

function serialize(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v,
  );
}

beforeAll(async () => {
  // Started open (its readiness check pings without a password), then locked.
  server = await startRedisServer();
  const admin = new Redis(server.url);
  await admin.config("SET", "requirepass", PASSWORD);
  admin.disconnect();
  for (const level of ["error", "warn", "info", "debug"] as const) {
    vi.spyOn(log, level).mockImplementation(((...args: unknown[]) => {
      logged.push(serialize(args));
    }) as never);
  }
  useConfig({});
});

afterAll(async () => {
  vi.restoreAllMocks();
  await closeRedis();
  process.env.REDIS_URL = originalUrl;
  resetProcessState();
  await server?.stop();
});

async function withRedisUrl(url: string) {
  await closeRedis();
  process.env.REDIS_URL = url;
  resetProcessState();
}

describe("the Redis password", () => {
  it("is not in any answer or log line when it is wrong", async () => {
    await withRedisUrl(`redis://default:${WRONG}@127.0.0.1:${server.port}`);
    const answers = [
      await callRoute(healthGET as never, "/api/health"),
      await callRoute(auditGET as never, "/api/audit"),
      await callRoute(meGET as never, "/api/auth/me"),
    ];
    expect(answers[0]!.status).toBe(503);
    expect(answers[1]!.status).toBe(503);
    for (const a of answers) {
      const text = serialize(a.body) + serialize([...a.headers]);
      expect(text).not.toContain(WRONG);
      expect(text).not.toContain("redis://");
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(logged.join("\n")).not.toContain(WRONG);
  });

  it("is not in any answer or log line when it is right", async () => {
    await withRedisUrl(`redis://default:${PASSWORD}@127.0.0.1:${server.port}`);
    const health = await callRoute(healthGET as never, "/api/health");
    expect(health.status).toBe(200);
    const audit = await callRoute(auditGET as never, "/api/audit");
    expect(audit.status).toBe(200);
    for (const a of [health, audit]) expect(serialize(a.body)).not.toContain(PASSWORD);
    expect(logged.join("\n")).not.toContain(PASSWORD);
  });
});

describe("log redaction", () => {
  it("censors credential fields at any depth the paths name", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    process.env.LOG_LEVEL = "info";
    const logger = createLogger(sink);
    delete process.env.LOG_LEVEL;
    logger.info(
      {
        redisUrl: "redis://:p1@h",
        headers: { authorization: "Bearer t1", cookie: "s=c1" },
        cfg: { clientSecret: "c2", sessionSecret: "s2" },
        err: { command: { name: "auth", args: ["p3"] } },
      },
      "x",
    );
    const out = lines.join("");
    for (const secret of ["p1@h", "t1", "c1", "c2", "s2", "p3"]) expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });
});
