import { inject } from "vitest";

process.env.REDIS_URL = inject("redisUrl");
process.env.WORKER = "off";
process.env.READ_CACHE_MS = "0";
