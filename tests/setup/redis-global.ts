import type { TestProject } from "vitest/node";
import { startRedisServer, type PrivateRedis } from "../../scripts/lib/redis-server";

let server: PrivateRedis | undefined;

export async function setup(project: TestProject) {
  server = await startRedisServer();
  project.provide("redisUrl", server.url);
  project.provide("redisPort", server.port);
}

export async function teardown() {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    redisPort: number;
  }
}
