import { beforeEach, describe, expect, it } from "vitest";
import { clearSharedReads, MAX_ENTRIES, sharedRead, sharedReadLoads } from "@/lib/runtime/shared-read";
import { resetProcessState } from "@/lib/runtime/state";

const tick = () => new Promise((r) => setTimeout(r, 0));

function counted<T>(value: T) {
  const calls = { n: 0 };
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const load = async () => {
    calls.n++;
    await gate;
    return value;
  };
  return { calls, load, release };
}

describe("sharedRead", () => {
  beforeEach(() => resetProcessState());

  it("concurrent callers of one key share one load", async () => {
    const { calls, load, release } = counted({ a: 1 });
    const all = Array.from({ length: 10 }, () => sharedRead("k", 1000, load));
    release();
    const results = await Promise.all(all);
    expect(calls.n).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toEqual({ a: 1 });
  });

  it("reuses a result for the ttl, then loads again", async () => {
    let now = 1_000;
    const clock = { now: () => now };
    let n = 0;
    const load = async () => ++n;
    expect(await sharedRead("k", 1000, load, clock)).toBe(1);
    now += 999;
    expect(await sharedRead("k", 1000, load, clock)).toBe(1);
    now += 1;
    expect(await sharedRead("k", 1000, load, clock)).toBe(2);
    expect(await sharedRead("other", 1000, load, clock)).toBe(3);
  });

  it("kept results end together, at the next multiple of the ttl on the clock", async () => {
    let now = 10_300;
    const clock = { now: () => now };
    let n = 0;
    const load = async () => ++n;
    expect(await sharedRead("rows", 1000, load, clock)).toBe(1);
    now = 10_800;
    expect(await sharedRead("tiles", 1000, load, clock)).toBe(2);
    now = 10_999;
    expect(await sharedRead("rows", 1000, load, clock)).toBe(1);
    expect(await sharedRead("tiles", 1000, load, clock)).toBe(2);
    // Both end at 11,000, though "tiles" was loaded only 200 ms before.
    now = 11_000;
    expect(await sharedRead("rows", 1000, load, clock)).toBe(3);
    expect(await sharedRead("tiles", 1000, load, clock)).toBe(4);
  });

  it("a ttl of 0 shares only concurrent calls", async () => {
    const { calls, load, release } = counted("v");
    const both = [sharedRead("k", 0, load), sharedRead("k", 0, load)];
    release();
    await Promise.all(both);
    expect(calls.n).toBe(1);
    await sharedRead("k", 0, load);
    expect(calls.n).toBe(2);
  });

  it("does not keep errors: every waiting caller gets the error, the next call loads again", async () => {
    let n = 0;
    const failing = async () => {
      n++;
      await tick();
      throw new Error("boom");
    };
    const both = [sharedRead("k", 1000, failing), sharedRead("k", 1000, failing)];
    for (const p of both) await expect(p).rejects.toThrow("boom");
    expect(n).toBe(1);
    expect(await sharedRead("k", 1000, async () => "ok")).toBe("ok");
  });

  it("a clear drops kept results, and a load running across the clear is not kept", async () => {
    let n = 0;
    const load = async () => ++n;
    await sharedRead("k", 1000, load);
    clearSharedReads();
    expect(await sharedRead("k", 1000, load)).toBe(2);

    const { load: slow, release } = counted("old");
    const running = sharedRead("slow", 1000, slow);
    clearSharedReads();
    release();
    expect(await running).toBe("old");
    expect(await sharedRead("slow", 1000, async () => "new")).toBe("new");
  });

  it("a change to one stream clears the answers about it (running loads included), and keeps the rest", async () => {
    let n = 0;
    const load = async () => ++n;
    const a = await sharedRead("a-page", 1000, load, { stream: "a" });
    const b = await sharedRead("b-page", 1000, load, { stream: "b" });
    const list = await sharedRead("list", 1000, load);
    const { load: slow, release } = counted("old a");
    const running = sharedRead("a-slow", 1000, slow, { stream: "a" });
    clearSharedReads("a");
    release();
    expect(await running).toBe("old a");
    expect(await sharedRead("a-slow", 1000, async () => "new a", { stream: "a" })).toBe("new a");
    expect(await sharedRead("a-page", 1000, load, { stream: "a" })).not.toBe(a);
    expect(await sharedRead("b-page", 1000, load, { stream: "b" })).toBe(b);
    expect(await sharedRead("list", 1000, load)).toBe(list);
    clearSharedReads();
    expect(await sharedRead("list", 1000, load)).not.toBe(list);
  });

  it("stays bounded: at most MAX_ENTRIES kept, the oldest dropped first", async () => {
    const before = sharedReadLoads();
    for (let i = 0; i <= MAX_ENTRIES; i++) await sharedRead(`k${i}`, 60_000, async () => i);
    expect(await sharedRead(`k${MAX_ENTRIES}`, 60_000, async () => -1)).toBe(MAX_ENTRIES);
    expect(await sharedRead("k0", 60_000, async () => -1)).toBe(-1);
    expect(sharedReadLoads() - before).toBe(MAX_ENTRIES + 2);
  });

  it("does not keep a result larger than its size cap", async () => {
    let n = 0;
    const load = async () => ++n;
    await sharedRead("big", 1000, load, { size: () => 64 * 1024 * 1024 });
    expect(await sharedRead("big", 1000, load, { size: () => 64 * 1024 * 1024 })).toBe(2);
  });
});
