import type Redis from "ioredis";
import { expect } from "vitest";

export type SlowEntry = [number, number, number, string[], ...unknown[]];

/**
 * Runs `work` with the slow log at 10 ms and expects no entry that `counts` selects. A busy test
 * machine can pause Redis mid-command and log a cheap one: an entry is held against the code only
 * when it shows up again on a second run (a command that is truly O(N) is slow every time).
 */
export async function expectNoSlowCommands(
  redis: Redis,
  work: () => Promise<unknown>,
  counts: (entry: SlowEntry) => boolean = () => true,
): Promise<void> {
  await redis.config("SET", "slowlog-log-slower-than", "10000");
  let slow: SlowEntry[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    await redis.slowlog("RESET");
    await work();
    slow = ((await redis.slowlog("GET", 128)) as SlowEntry[]).filter(counts);
    if (slow.length === 0) return;
  }
  expect(slow.map(([, , micros, cmd]) => `${cmd.slice(0, 3).join(" ")}: ${micros} µs`)).toEqual([]);
}
