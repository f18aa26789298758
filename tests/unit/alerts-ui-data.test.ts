import { describe, expect, it } from "vitest";
import {
  alertSubject,
  bannerText,
  linkLabel,
  loudCount,
  omittedText,
  splitAlerts,
} from "@/components/alerts/alerts-data";
import {
  formatRate,
  formatTimeTick,
  isEmptySeries,
  sparklineRows,
  toChartRows,
} from "@/components/history/history-chart-data";
import { adviceVerdict } from "@/components/history/threshold-advice-data";
import type { Alert } from "@/lib/contract/alerts";

const alert = (over: Partial<Alert>): Alert => ({
  id: "a",
  rule: "long-pending",
  stream: "s",
  group: "g",
  consumer: null,
  state: "firing",
  severity: "warning",
  message: "",
  firstSeen: 0,
  lastSeen: 0,
  resolvedAt: null,
  silencedUntil: null,
  link: "/",
  ...over,
});

describe("alerts page and banner shaping", () => {
  it("counts firing alerts that are not silenced", () => {
    const alerts = [
      alert({ id: "1" }),
      alert({ id: "2", silencedUntil: 2000 }),
      alert({ id: "3", silencedUntil: 500 }),
      alert({ id: "4", state: "resolved" }),
    ];
    expect(loudCount(alerts, 1000)).toBe(2);
    expect(bannerText(1)).toBe("1 alert firing");
    expect(bannerText(3)).toBe("3 alerts firing");
    expect(bannerText(1000, true)).toBe("1,000+ alerts firing");
    expect(bannerText(1, true)).toBe("1+ alerts firing");
  });

  it("says when the answer left alerts out, and nothing when it listed them all", () => {
    expect(omittedText(1000, 25000, "firing")).toBe("Showing the 1,000 most severe of 25,000 firing alerts.");
    expect(omittedText(100, 400, "resolved")).toBe("Showing 100 of 400 resolved alerts.");
    expect(omittedText(3, 3, "firing")).toBeNull();
  });

  it("orders firing by severity then newest, resolved newest first", () => {
    const { firing, resolved } = splitAlerts([
      alert({ id: "w-old", firstSeen: 1 }),
      alert({ id: "c", severity: "critical", firstSeen: 0 }),
      alert({ id: "w-new", firstSeen: 5 }),
      alert({ id: "r1", state: "resolved", resolvedAt: 10 }),
      alert({ id: "r2", state: "resolved", resolvedAt: 20 }),
    ]);
    expect(firing.map((a) => a.id)).toEqual(["c", "w-new", "w-old"]);
    expect(resolved.map((a) => a.id)).toEqual(["r2", "r1"]);
  });

  it("names controls after the rule and where it fires", () => {
    expect(alertSubject(alert({ consumer: "c1" }))).toBe("long-pending on s / g / c1");
    expect(alertSubject(alert({ rule: "family-no-ttl", group: null }))).toBe("family-no-ttl on s");
    expect(linkLabel(alert({}))).toBe("Open pending messages");
    expect(linkLabel(alert({ group: null }))).toBe("Open stream");
  });
});

describe("chart shaping", () => {
  it("converts the oldest pending age to seconds and rounds rates", () => {
    const rows = toChartRows([
      { t: 1, length: 3, pending: 2, lag: null, inRate: 1.23456, ackRate: null, oldestPendingMs: 12_345 },
    ]);
    expect(rows[0]).toEqual({
      t: 1,
      length: 3,
      pending: 2,
      lag: null,
      inRate: 1.23,
      ackRate: null,
      oldestPendingS: 12.3,
    });
    expect(isEmptySeries(rows)).toBe(false);
    expect(
      isEmptySeries(
        toChartRows([
          { t: 1, length: null, pending: null, lag: null, inRate: null, ackRate: null, oldestPendingMs: null },
        ]),
      ),
    ).toBe(true);
  });

  it("formats ticks and rates", () => {
    const t = Date.UTC(2026, 10, 25, 13, 5);
    expect(formatTimeTick(t, 3600_000)).toBe("13:05");
    expect(formatTimeTick(t, 86400_000)).toBe("25 13:05");
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0)).toBe("0/s");
    expect(formatRate(0.05)).toBe("3.0/min");
    expect(formatRate(2.34)).toBe("2.3/s");
    expect(formatRate(123.4)).toBe("123/s");
    expect(sparklineRows(undefined)).toEqual([]);
  });

  it("judges the current threshold against the suggestion", () => {
    const base = {
      typicalPendingMs: 1000,
      p95PendingMs: 3000,
      basedOnSamples: 100,
      raiseHeldBack: false,
      ackedObservations: 40,
      windowFrom: 0,
      windowTo: 1000,
      stuckNow: { count: 0, maxIdleMs: 0, capped: false },
    };
    expect(adviceVerdict({ ...base, suggestedStuckAfterMs: 6000, currentStuckAfterMs: 1000 }).tone).toBe("warn");
    expect(adviceVerdict({ ...base, suggestedStuckAfterMs: 6000, currentStuckAfterMs: 60_000 }).text).toContain(
      "loose",
    );
    expect(adviceVerdict({ ...base, suggestedStuckAfterMs: 6000, currentStuckAfterMs: 10_000 }).tone).toBe("ok");
  });
});
