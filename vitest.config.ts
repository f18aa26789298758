import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// The tests' own redis-servers get the CPU before the test files' processes (as root; elsewhere
// they keep the default): on 2 cores shared with four files, a server waiting for a core made
// 0.2 ms reads show 8-12 ms in the slow log, which then measured the scheduler, not the command.
process.env.STREAMSCOPE_TEST_REDIS_NICE ??= "-10";

export default defineConfig({
  resolve: {
    alias: {
      "@/": fileURLToPath(new URL("./", import.meta.url)),
      "server-only": fileURLToPath(new URL("./tests/setup/empty-module.ts", import.meta.url)),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/setup/redis-global.ts"],
    setupFiles: ["tests/setup/env.ts", "tests/setup/unhandled.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most tests wait on Redis, timers and child servers, not the CPU: four files at once take a
    // third of the time of one per core on the 2-core CI machines.
    maxWorkers: 4,
  },
});
