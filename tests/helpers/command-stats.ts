import type Redis from "ioredis";

export interface CommandStats {
  calls: number;
  usec: number;
  /** Calls per command (`xinfo|groups`, `xpending`, ...). */
  byCommand: Record<string, number>;
}

/**
 * Calls and µs of every command since the last `CONFIG RESETSTAT` (`INFO commandstats`), INFO and
 * CONFIG left out. Counts every client of the server: use a server of the test's own.
 */
export async function commandStats(redis: Redis): Promise<CommandStats> {
  const text = await redis.info("commandstats");
  const out: CommandStats = { calls: 0, usec: 0, byCommand: {} };
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    if (m[1] === "info" || m[1]!.startsWith("config")) continue;
    out.calls += Number(m[2]);
    out.usec += Number(m[3]);
    out.byCommand[m[1]!] = Number(m[2]);
  }
  return out;
}

/** The commands `run` sent (the stats reset first). */
export async function measureCommands(redis: Redis, run: () => Promise<unknown>): Promise<CommandStats> {
  await redis.config("RESETSTAT");
  await run();
  return commandStats(redis);
}
