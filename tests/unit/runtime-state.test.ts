import { describe, expect, it } from "vitest";
import { processState, resetProcessState } from "@/lib/runtime/state";

describe("process state", () => {
  it("gives a module evaluated again the same slot, not a second copy", () => {
    const first = processState("test-slot", () => ({ n: 0 }));
    first.value.n = 5;
    const again = processState("test-slot", () => ({ n: 0 }));
    expect(again).toBe(first);
    expect(again.value.n).toBe(5);
  });

  it("resets caches to their initial value and leaves resources alone", () => {
    const cache = processState<string | undefined>("test-cache", () => undefined);
    const resource = processState("test-resource", () => ({ open: true }), { keepOnReset: true });
    cache.value = "stale";
    const held = resource.value;
    resetProcessState();
    expect(cache.value).toBeUndefined();
    expect(resource.value).toBe(held);
  });
});
