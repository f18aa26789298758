import { test as base } from "@playwright/test";
import Redis from "ioredis";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

interface E2eState {
  redisUrl: string;
  redisPort: number;
  appPort: number;
  controlPort: number;
}

export function e2eState(): E2eState {
  return JSON.parse(readFileSync("tests/.e2e-state.json", "utf8")) as E2eState;
}

/** Stops or restarts the e2e server's Redis (for the banner test). */
export async function controlRedis(action: "stop" | "start"): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${e2eState().controlPort}/redis/${action}`, { method: "POST" });
  if (!res.ok) throw new Error(`redis ${action} failed: ${await res.text()}`);
}

export const test = base.extend<{ redis: Redis; prefix: string }>({
  redis: async ({ browserName }, provide) => {
    void browserName;
    const client = new Redis(e2eState().redisUrl, { maxRetriesPerRequest: 1 });
    await provide(client);
    client.disconnect();
  },
  prefix: async ({ browserName }, provide) => {
    void browserName;
    await provide(`e2e:${randomBytes(3).toString("hex")}:`);
  },
});

export { expect } from "@playwright/test";
