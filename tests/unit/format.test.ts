import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatCapped,
  formatDataAge,
  formatDuration,
  formatLocalTime,
  formatNumber,
  formatTime,
  memoryUnknownText,
} from "@/lib/shared/format";

describe("format", () => {
  it("formats durations at each scale", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(1500)).toBe("1.5 s");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3 * 3600_000 + 60_000)).toBe("3 h 1 min");
    expect(formatDuration(null)).toBe("—");
  });
  it("formats counts, capped counts and bytes", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatCapped(1000, true)).toBe("1,000+");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KiB");
  });

  it("says why a stream's memory is unknown", () => {
    expect(memoryUnknownText("consumers")).toMatch(/over 10,000 consumers/);
    expect(memoryUnknownText("refused")).toMatch(/refused MEMORY USAGE/);
    expect(memoryUnknownText(undefined)).toBeUndefined();
  });
  it("formats a time in UTC and in a given time zone, 24-hour, same shape", () => {
    const ms = Date.UTC(2026, 10, 25, 23, 3, 7);
    expect(formatTime(ms)).toBe("2026-11-25 23:03:07Z");
    expect(formatLocalTime(ms, "UTC")).toBe("2026-11-25 23:03:07 UTC");
    expect(formatLocalTime(ms, "Europe/Berlin")).toBe("2026-11-26 00:03:07 GMT+1");
    expect(formatLocalTime(null)).toBe("—");
  });
});

describe("formatDataAge", () => {
  it("says live under a second, whole seconds under a minute, then a duration; never negative", () => {
    expect(formatDataAge(10_000, 10_500)).toBe("live");
    expect(formatDataAge(10_000, 9_000)).toBe("live");
    expect(formatDataAge(10_000, 13_900)).toBe("data from 3 s ago");
    expect(formatDataAge(0, 125_000)).toBe("data from 2 min 5 s ago");
  });
});
