import { describe, expect, it } from "vitest";
import { csvEscape as plainEscape, toCsv } from "@/lib/shared/csv";

const csvEscape = (v: Parameters<typeof plainEscape>[0]) => plainEscape(v, { guardFormulas: true });
import {
  collectPages,
  exportFileName,
  pendingToCsv,
  pendingToJson,
  type PageOf,
} from "@/components/pending/pending-export";

describe("csvEscape", () => {
  it("leaves plain cells alone and writes numbers and booleans as is", () => {
    expect(csvEscape("worker-1")).toBe("worker-1");
    expect(csvEscape(42)).toBe("42");
    expect(csvEscape(-1)).toBe("-1");
    expect(csvEscape(false)).toBe("false");
    expect(csvEscape(null)).toBe("");
    expect(csvEscape(undefined)).toBe("");
  });
  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvEscape("a,b")).toBe('"a,b"');
    expect(csvEscape('say "hi"')).toBe('"say ""hi"""');
    expect(csvEscape("line1\nline2")).toBe('"line1\nline2"');
    expect(csvEscape("cr\rhere")).toBe('"cr\rhere"');
  });
  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(csvEscape("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvEscape("+1")).toBe("'+1");
    expect(csvEscape("@x,y")).toBe(`"'@x,y"`);
  });
  it("joins rows with CRLF and ends with one", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["1", 2],
          ["x,y", null],
        ],
        { guardFormulas: true },
      ),
    ).toBe('a,b\r\n1,2\r\n"x,y",\r\n');
  });
});

describe("pendingToCsv / pendingToJson", () => {
  const rows = [
    { id: "1700000000000-0", consumer: "w,1", idleMs: 5000, deliveries: 2, deleted: false },
    { id: "1700000000001-3", consumer: "crashed", idleMs: 999, deliveries: 1, deleted: true },
  ];
  it("writes one line per row with the produced time from the id", () => {
    expect(pendingToCsv(rows).split("\r\n")).toEqual([
      "id,produced_at,consumer,idle_ms,deliveries,message_deleted",
      '1700000000000-0,2023-11-14 22:13:20Z,"w,1",5000,2,false',
      "1700000000001-3,2023-11-14 22:13:20Z,crashed,999,1,true",
      "",
    ]);
  });
  it("writes JSON with the metadata and a count", () => {
    const parsed = JSON.parse(pendingToJson(rows, { stream: "s", group: "g" })) as {
      count: number;
      stream: string;
      entries: { producedAt: string; deleted: boolean }[];
    };
    expect(parsed.count).toBe(2);
    expect(parsed.stream).toBe("s");
    expect(parsed.entries[1]).toMatchObject({ producedAt: "2023-11-14 22:13:20Z", deleted: true });
  });
  it("makes a safe file name", () => {
    expect(exportFileName("orders/{eu} 1", "g:1", "csv", new Date("2026-11-26T01:02:03.456Z"))).toBe(
      "pending-orders_eu_1-g_1-2026-11-26T01-02-03Z.csv",
    );
  });
});

describe("collectPages", () => {
  /** A fake cursor API over 0..n-1 with the given page size. */
  function pager(n: number, size: number) {
    const calls: (string | null)[] = [];
    const fetchPage = async (cursor: string | null): Promise<PageOf<number>> => {
      calls.push(cursor);
      const from = cursor === null ? 0 : Number(cursor);
      const entries = Array.from({ length: Math.max(0, Math.min(size, n - from)) }, (_, i) => from + i);
      const next = from + size < n ? String(from + size) : null;
      return { entries, next };
    };
    return { fetchPage, calls };
  }

  it("walks every page until next is null, each row once", async () => {
    const { fetchPage, calls } = pager(25, 10);
    const progress: number[] = [];
    const result = await collectPages(fetchPage, { onProgress: (n) => progress.push(n) });
    expect(result.truncated).toBe(false);
    expect(result.rows).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(calls).toEqual([null, "10", "20"]);
    expect(progress).toEqual([10, 20, 25]);
  });

  it("stops at the cap and says so", async () => {
    const { fetchPage, calls } = pager(1000, 10);
    const result = await collectPages(fetchPage, { cap: 35 });
    expect(result.rows).toHaveLength(35);
    expect(result.truncated).toBe(true);
    expect(calls).toHaveLength(4);
  });

  it("reports no truncation when the list ends exactly at the cap", async () => {
    const { fetchPage } = pager(30, 10);
    const result = await collectPages(fetchPage, { cap: 30 });
    expect(result).toMatchObject({ truncated: false });
    expect(result.rows).toHaveLength(30);
  });

  it("ends on a cursor that does not move instead of looping", async () => {
    let calls = 0;
    const result = await collectPages(async (cursor) => {
      calls++;
      return { entries: cursor === null ? [1] : [], next: "5" };
    });
    expect(result.rows).toEqual([1]);
    expect(calls).toBe(2);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const { fetchPage } = pager(100, 10);
    const promise = collectPages(
      async (c) => {
        const page = await fetchPage(c);
        if (c === "20") controller.abort();
        return page;
      },
      { signal: controller.signal },
    );
    await expect(promise).rejects.toThrow(/cancelled/);
  });
});
