import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStreams } from "@/lib/streams/snapshot";
import { RECENT_GROUPS_MS } from "@/lib/streams/recent-groups";
import { clearSharedReads } from "@/lib/runtime/shared-read";
import { resetProcessState } from "@/lib/runtime/state";
import { measureCommands } from "../helpers/command-stats";
import { privateRedis } from "../helpers/redis";
import { sleep } from "../helpers/worker";

// A server of its own: INFO commandstats counts every client's commands.
const own = privateRedis();
const redis = () => own.raw();
const saved = process.env.READ_CACHE_MS;
const KEYS = Array.from({ length: 20 }, (_, i) => `recent:${i}`);
const share = { groups: true, shareGroupsMs: RECENT_GROUPS_MS } as const;

function useCacheMs(ms: number) {
  process.env.READ_CACHE_MS = String(ms);
  resetProcessState();
}

const groupsReads = async (run: () => Promise<unknown>) =>
  (await measureCommands(redis(), run)).byCommand["xinfo|groups"] ?? 0;

describe("XINFO GROUPS replies shared by reads at the same moment (the overview's rows and tiles)", () => {
  beforeAll(async () => {
    for (const key of KEYS) {
      await redis().xadd(key, "*", "n", "1");
      await redis().xgroup("CREATE", key, "g", "0");
    }
  });
  afterAll(() => useCacheMs(Number(saved ?? 0)));

  it("two reads sent together ask Redis once per key, and both get the groups", async () => {
    useCacheMs(1000);
    let answers: Awaited<ReturnType<typeof readStreams>>[] = [];
    const calls = await groupsReads(async () => {
      answers = await Promise.all([
        readStreams(redis(), KEYS, { info: true, ttl: true, ...share }),
        readStreams(redis(), KEYS, share),
      ]);
    });
    expect(calls).toBe(KEYS.length);
    for (const reads of answers) {
      expect(reads.map((r) => r.groups?.map((g) => g.name))).toEqual(KEYS.map(() => ["g"]));
    }
    expect(answers[0]!.every((r) => r.info !== null && r.pttl === -1)).toBe(true);
  });

  it("a reply older than the window, or a stream changed through this process, is read again", async () => {
    useCacheMs(1000);
    await readStreams(redis(), KEYS, share);
    await sleep(RECENT_GROUPS_MS * 3);
    expect(await groupsReads(() => readStreams(redis(), KEYS, share))).toBe(KEYS.length);

    // Within the window (a caller's long one here: a slow machine must not let 50 ms pass between
    // the two reads): reused, except the stream a change cleared, which shows its new group.
    await redis().xgroup("CREATE", KEYS[0]!, "g2", "0");
    clearSharedReads(KEYS[0]!);
    let reads: Awaited<ReturnType<typeof readStreams>> = [];
    const calls = await groupsReads(async () => {
      reads = await readStreams(redis(), KEYS, { groups: true, shareGroupsMs: 60_000 });
    });
    expect(calls).toBe(1);
    expect(reads[0]!.groups!.map((g) => g.name).sort()).toEqual(["g", "g2"]);
  });

  it("nothing is shared when answers are not (READ_CACHE_MS=0), nor for a caller that does not ask", async () => {
    useCacheMs(0);
    const unshared = await groupsReads(() =>
      Promise.all([readStreams(redis(), KEYS, share), readStreams(redis(), KEYS, share)]),
    );
    expect(unshared).toBe(2 * KEYS.length);
    useCacheMs(1000);
    const notAsked = await groupsReads(() =>
      Promise.all([readStreams(redis(), KEYS, share), readStreams(redis(), KEYS, { groups: true })]),
    );
    expect(notAsked).toBe(2 * KEYS.length);
  });

  it("a key deleted meanwhile reads as gone for both callers", async () => {
    useCacheMs(1000);
    await redis().xadd("recent:gone", "*", "n", "1");
    await redis().del("recent:gone");
    const [a, b] = await Promise.all([
      readStreams(redis(), ["recent:gone"], share),
      readStreams(redis(), ["recent:gone"], share),
    ]);
    expect([a[0]!.state, b[0]!.state]).toEqual(["gone", "gone"]);
  });
});
