import { describe, expect, it } from "vitest";
import { familyScanMatch, memberKey, periodAt, periodOfKey, periodsFrom } from "@/lib/shared/family-periods";
import { globMatch } from "@/lib/shared/glob";

const at = (iso: string) => Date.parse(iso);

describe("family periods", () => {
  it("names the current UTC hour and its end", () => {
    const p = periodAt("orders_<yyyyMMddHH>", at("2026-11-25T23:59:59.999Z"));
    expect(p.key).toBe("orders_2026112523");
    expect(p.start).toBe(at("2026-11-25T23:00:00Z"));
    expect(p.end).toBe(at("2026-11-26T00:00:00Z"));
  });

  it("lists the current and ahead periods across a day boundary", () => {
    const keys = periodsFrom("o_<yyyyMMddHH>", at("2026-12-31T23:10:00Z"), 2).map((p) => p.key);
    expect(keys).toEqual(["o_2026123123", "o_2027010100", "o_2027010101"]);
  });

  it("daily periods in a time zone end at local midnight", () => {
    const p = periodAt("d:<yyyyMMdd>", at("2026-11-25T20:00:00Z"), "Asia/Kolkata");
    expect(p.key).toBe("d:20261126");
    expect(p.start).toBe(at("2026-11-25T18:30:00Z"));
    expect(p.end).toBe(at("2026-11-26T18:30:00Z"));
  });

  it("hourly periods survive a DST change (New York, spring forward)", () => {
    const ps = periodsFrom("x_<yyyyMMddHH>", at("2026-03-08T06:30:00Z"), 2, "America/New_York");
    expect(ps.map((p) => p.key)).toEqual(["x_2026030801", "x_2026030803", "x_2026030804"]);
    expect(ps[0]!.end).toBe(at("2026-03-08T07:00:00Z"));
  });

  it("maps a member key back to its period and rejects non-dates", () => {
    expect(periodOfKey("orders_<yyyyMMddHH>", "orders_2026112507")?.end).toBe(at("2026-11-25T08:00:00Z"));
    expect(periodOfKey("orders_<yyyyMMddHH>", "orders_2026113007")).not.toBeNull();
    expect(periodOfKey("orders_<yyyyMMddHH>", "orders_2026113107")).toBeNull();
    expect(periodOfKey("orders_<yyyyMMddHH>", "orders_2026112525")).toBeNull();
    expect(periodOfKey("orders_<yyyyMMddHH>", "xorders_2026112507")).toBeNull();
  });

  it("builds a SCAN MATCH that finds members only, escaping glob characters", () => {
    const match = familyScanMatch("a*[b]_<yyyyMMdd>");
    expect(globMatch(match, memberKey("a*[b]_<yyyyMMdd>", "20261125"))).toBe(true);
    expect(globMatch(match, "aX[b]_20261125")).toBe(false);
    expect(globMatch(match, "a*[b]_2026112")).toBe(false);
  });
});
