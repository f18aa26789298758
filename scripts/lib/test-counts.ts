/** Test counts from the JSON reports that Vitest and Playwright write, for the runners' last line. */
import { existsSync, readFileSync } from "node:fs";

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export function vitestCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const v = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: v.numPassedTests, failed: v.numFailedTests, skipped: v.numPendingTests + v.numTodoTests };
}

export function playwrightCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const p = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  return { passed: p.stats.expected + p.stats.flaky, failed: p.stats.unexpected, skipped: p.stats.skipped };
}

export function addCounts(...all: Array<Counts | null>): Counts {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const c of all) {
    if (!c) continue;
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  return total;
}

export function countsLine(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

/** What `npm test` leaves behind for a later runner (the server matrix) to add to its last line. */
export const SUMMARY_FILE = ".tmp/test-summary.json";
