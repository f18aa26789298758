import { describe, expect, it } from "vitest";
import { isJobEnded, jobRate, type JobDto } from "@/lib/contract/jobs";

const job = (over: Partial<JobDto>): JobDto => ({
  id: "0123456789abcdef0000",
  action: "ack",
  stream: "s",
  group: "g",
  target: "filter {}",
  who: "alice",
  started: 10_000,
  updated: 12_000,
  ended: null,
  total: 10_000,
  done: 2_000,
  ok: 2_000,
  skipped: 0,
  deleted: 0,
  status: "running",
  result: null,
  error: null,
  ...over,
});

describe("job rate and time left", () => {
  it("measures from the start to the last report, and the time left at that rate", () => {
    expect(jobRate(job({}))).toEqual({ rate: 1000, leftMs: 8000 });
  });
  it("is unknown before the first batch, and no time is left once ended", () => {
    expect(jobRate(job({ done: 0, ok: 0 }))).toEqual({ rate: null, leftMs: null });
    expect(jobRate(job({ total: null })).leftMs).toBeNull();
    expect(jobRate(job({ status: "cancelled", ended: 14_000 }))).toEqual({ rate: 500, leftMs: null });
  });
  it("knows which statuses are final", () => {
    expect(["running", "cancelling"].map((s) => isJobEnded(s as JobDto["status"]))).toEqual([false, false]);
    expect(["done", "cancelled", "failed", "interrupted"].every((s) => isJobEnded(s as JobDto["status"]))).toBe(true);
  });
});
